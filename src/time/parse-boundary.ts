import { startOfLocalDay } from './bucket-boundaries.js'
import { HOUR_MS, MINUTE_MS } from './durations.js'
import { looksRelative, RELATIVE_TIME_FORM, resolveRelativeTime } from './relative-time.js'
import { monthStart } from './wall-clock.js'
import { isValidZone, resolveZone } from './zone.js'

/** How the boundary was written: callers word their range errors by it (a small epoch number is likely seconds). */
export type BoundaryForm = 'date-time' | 'date' | 'epoch-milliseconds' | 'relative'

export type ParsedBoundary =
  | { ok: true, instant: number, form: BoundaryForm }
  | { ok: false, reason: string }

const ACCEPTED_FORMS = 'an RFC 3339 date-time with an offset (2026-11-01T00:00:00+08:00, 2026-11-01T00:00:00Z), a date (2026-11-01), ' +
  `epoch milliseconds (1793491200000) or a relative time ${RELATIVE_TIME_FORM}`
const NEEDS_OFFSET = 'a date-time with an explicit offset (Z or +08:00), or a date alone'
const YEAR_RANGE = 'a year from 1970 to 9999'
const REAL_DATE = 'a real calendar date (month 01-12, day within that month)'
const REAL_TIME = 'a real time of day (hour 00-23, minute and second 00-59)'
const OFFSET_RANGE = 'an offset from -23:59 to +23:59'
const NEEDS_ZONE = 'a date-time with an offset or epoch milliseconds, or a date or relative time with a valid IANA time zone (tz)'

// Sixteen digits reach past year 9999 (15 do) while staying a safe integer, so the caller's bounds decide.
const EPOCH_MILLISECONDS = /^\d{1,16}$/
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
// Uppercase 'T' and 'Z' only: RFC 3339 permits lowercase, but nobody means it and ISO 8601 does not.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/
const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/
const LONGEST_INPUT = 64

/**
 * Accepts RFC 3339 date-times with an explicit offset (fractional seconds allowed, truncated to
 * milliseconds), a plain date, meaning the first instant of that local day in `zone`, epoch milliseconds
 * (all digits: what Grafana's ${__from} sends), or a relative time resolved against `now` in `zone`
 * (see relative-time.ts). Never throws.
 */
export function parseBoundary (text: string, zone: string, now: number): ParsedBoundary {
  if (typeof text !== 'string' || text.length > LONGEST_INPUT) return failure(ACCEPTED_FORMS)
  if (EPOCH_MILLISECONDS.test(text)) return { ok: true, instant: Number(text), form: 'epoch-milliseconds' }
  if (looksRelative(text)) {
    if (!isValidZone(zone)) return failure(NEEDS_ZONE)
    const relative = resolveRelativeTime(text, now, zone)
    return relative.ok ? { ok: true, instant: relative.instant, form: 'relative' } : relative
  }
  const dateOnly = DATE_ONLY.exec(text)
  if (dateOnly !== null) return parseDate(dateOnly, zone)
  const dateTime = DATE_TIME.exec(text)
  if (dateTime !== null) return parseDateTime(dateTime)
  return failure(DATE_TIME_WITHOUT_OFFSET.test(text) ? NEEDS_OFFSET : ACCEPTED_FORMS)
}

function parseDate (match: RegExpExecArray, zone: string): ParsedBoundary {
  const [, yearText, monthText, dayText] = match
  const problem = dateProblem(Number(yearText), Number(monthText), Number(dayText))
  if (problem !== undefined) return failure(problem)
  if (!isValidZone(zone)) return failure(NEEDS_ZONE)
  const midnight = Date.UTC(Number(yearText), Number(monthText) - 1, Number(dayText))
  return { ok: true, instant: startOfLocalDay(midnight, resolveZone(zone)), form: 'date' }
}

function parseDateTime (match: RegExpExecArray): ParsedBoundary {
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, sign, offsetHourText, offsetMinuteText] = match
  const [year, month, day] = [Number(yearText), Number(monthText), Number(dayText)]
  const [hour, minute, second] = [Number(hourText), Number(minuteText), Number(secondText)]
  const problem = dateProblem(year, month, day)
  if (problem !== undefined) return failure(problem)
  // 60 would be a leap second, which epoch milliseconds cannot represent.
  if (hour > 23 || minute > 59 || second > 59) return failure(REAL_TIME)
  const [offsetHours, offsetMinutes] = [Number(offsetHourText ?? 0), Number(offsetMinuteText ?? 0)]
  if (offsetHours > 23 || offsetMinutes > 59) return failure(OFFSET_RANGE)
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * HOUR_MS + offsetMinutes * MINUTE_MS)
  // Instants are whole milliseconds: digits past the third are dropped, which rounds toward the past.
  const milliseconds = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'))
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds)
  return { ok: true, instant: wall - offsetMs, form: 'date-time' }
}

function dateProblem (year: number, month: number, day: number): string | undefined {
  if (year < 1970 || year > 9999) return YEAR_RANGE
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return REAL_DATE
  return undefined
}

function daysInMonth (year: number, month: number): number {
  return (monthStart(year, month) - monthStart(year, month - 1)) / (24 * HOUR_MS)
}

function failure (reason: string): ParsedBoundary {
  return { ok: false, reason }
}
