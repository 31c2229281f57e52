// Provider facts: docs/providers/tencent-mps.md
/**
 * MPS counts usage per day on UTC+08:00 (China Standard Time, which has had no DST since 1991); every instant
 * on the wire is written with that fixed offset.
 */
import type { NativeGrid } from '../../time/index.js'

export const DAY_MS = 86_400_000
const UTC_PLUS_8_MS = 8 * 3_600_000

export const UTC8_DAY_GRID: NativeGrid = { stepMs: DAY_MS, offsetMs: -UTC_PLUS_8_MS, label: 'day (UTC+08:00)' }

/** '2026-11-01T00:00:00+08:00' for 2026-10-31T16:00:00Z (milliseconds dropped). */
export function formatUtcPlus8 (instant: number): string {
  return new Date(instant + UTC_PLUS_8_MS).toISOString().slice(0, 19) + '+08:00'
}

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|([+-])(\d{2}):(\d{2}))$/

/** Epoch ms of an ISO 8601 date-time with an offset ('Z' or ±HH:MM); null for anything else, impossible dates included. */
export function parseIsoWithOffset (text: string): number | null {
  const match = ISO_WITH_OFFSET.exec(text)
  if (match === null) return null
  const [, year, month, day, hour, minute, second, zone, sign, offsetHours, offsetMinutes] = match.map(part => part ?? '')
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second))
  const check = new Date(wall)
  // Date.UTC rolls 02-30 over into March; a real date keeps its fields.
  if (check.getUTCFullYear() !== Number(year) || check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day) ||
      Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null
  if (zone === 'Z') return wall
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return null
  const offsetMs = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000
  return sign === '+' ? wall - offsetMs : wall + offsetMs
}
