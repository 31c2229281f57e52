import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './durations.js'

const UNIT_MS = { ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS } as const

/** What a duration setting or argument accepts, for messages. */
export const DURATION_FORM = 'a whole number followed by ms, s, m, h or d (e.g. 90s, 15m, 6h, 1d), or 0'

/**
 * A duration as operators write it in settings and on the command line: `15m`, `6h`, `1d`, `0`. Milliseconds,
 * or null for anything else (no fractions, no combined units, no bare number but 0: `15` could mean any unit).
 */
export function parseDurationText (text: string): number | null {
  const trimmed = text.trim()
  if (trimmed === '0') return 0
  const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(trimmed)
  if (match === null) return null
  const milliseconds = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
  return Number.isSafeInteger(milliseconds) ? milliseconds : null
}
