import { HOUR_MS, MINUTE_MS, SECOND_MS } from './durations.js'
import { offsetMsAt } from './offset-timeline.js'
import { positiveModulo } from './positive-modulo.js'
import { assertInstant } from './time-guards.js'
import { resolveZone } from './zone.js'

/** ISO 8601 with the zone's offset at that instant and no milliseconds; 'Z' for UTC and its aliases. */
export function formatInstant (instant: number, zone: string): string {
  assertInstant(instant)
  const canonicalZone = resolveZone(zone)
  const wholeSecond = truncateToSecond(instant)
  const offsetMs = offsetMsAt(canonicalZone, wholeSecond)
  // Europe/London in winter is also +00:00 but is a local time, so only UTC itself gets 'Z'.
  const suffix = canonicalZone === 'UTC' ? 'Z' : formatOffset(offsetMs)
  return isoWithoutMilliseconds(wholeSecond + offsetMs) + suffix
}

/** Always UTC with 'Z' and no milliseconds, e.g. '2026-11-01T16:00:00Z' (what Alibaba APIs want). */
export function formatUtcSeconds (instant: number): string {
  assertInstant(instant)
  return isoWithoutMilliseconds(truncateToSecond(instant)) + 'Z'
}

// Truncated, not rounded, so the printed time is never later than the instant (milliseconds are dropped
// only for display; boundaries are whole minutes anyway).
function truncateToSecond (instant: number): number {
  return instant - positiveModulo(instant, SECOND_MS)
}

/** 'YYYY-MM-DDTHH:MM:SS' of a wall time; toISOString also handles years past 9999 ('+010000-...'). */
function isoWithoutMilliseconds (wall: number): string {
  return new Date(wall).toISOString().replace(/\.\d{3}Z$/, '')
}

function formatOffset (offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+'
  const magnitude = Math.abs(offsetMs)
  const hours = Math.floor(magnitude / HOUR_MS)
  const minutes = Math.floor((magnitude % HOUR_MS) / MINUTE_MS)
  const seconds = Math.floor((magnitude % MINUTE_MS) / SECOND_MS)
  // Local mean time before 1970 had offsets with seconds; ISO 8601 allows them, RFC 3339 never needs them.
  const secondsPart = seconds === 0 ? '' : `:${pad2(seconds)}`
  return `${sign}${pad2(hours)}:${pad2(minutes)}${secondsPart}`
}

function pad2 (value: number): string {
  return String(value).padStart(2, '0')
}
