import { floorBoundary, startOfLocalDay } from './bucket-boundaries.js'
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './durations.js'
import { instantsReachingMark } from './mark-reach.js'
import { offsetMsAt } from './offset-timeline.js'
import { positiveModulo } from './positive-modulo.js'
import { monthStart } from './wall-clock.js'
import { resolveZone } from './zone.js'

// Relative times as dashboards write them (Grafana's `now-7d`, `now-1M/M`, `now/d`): `now` followed by any
// number of steps, each `+N<unit>`, `-N<unit>` or `/<unit>`, applied left to right. Units: s m h d w M y.
// - s, m, h move by elapsed time: now-6h is exactly 6 hours earlier, across a clock change too.
// - d, w, M, y move the local calendar of the zone: the same wall time N days (weeks, months, years) away, so
//   now-1d is 23 or 25 hours earlier across a clock change. A day past the end of the month it lands in becomes
//   that month's last day (03-31 minus 1M is 02-28, or 02-29 in a leap year; 02-29 plus 1y is 02-28). A wall
//   time the clock skips becomes the instant it jumps over it; a wall time it reads twice, the first reading.
// - /unit goes back to the start of that unit in the zone: /h, /d and /M to the start of the hour, day or month
//   bucket containing the instant (the same boundaries as granularity=hour|day|month), /w to the start of
//   Monday (ISO 8601 weeks; Grafana's follows the browser's locale), /y to the start of January 1st, /m and /s
//   to the whole minute or second.

export type RelativeTime = { ok: true, instant: number } | { ok: false, reason: string }

export const RELATIVE_TIME_FORM = 'now[±N unit][/unit] with units s m h d w M y (now, now-7d, now-1M/M, now/d)'

const UNITS = 'smhdwMy'
// A space stands for +: a + sent unencoded in a URL's query arrives as a space, and means nothing else here.
const STEP = /([+ -])(\d{1,9})([smhdwMy])|\/([smhdwMy])/y
const MOST_STEPS = 8
// Steps may not wander where the zone engine and Date stop answering; the result is checked by the caller's
// own bounds afterwards.
const EARLIEST_STEP = Date.UTC(1000, 0, 1)
const LATEST_STEP = Date.UTC(10000, 0, 1)

type Unit = 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'y'

/** True for anything meant as a relative time (it starts with `now`), valid or not. */
export function looksRelative (text: string): boolean {
  return text.startsWith('now')
}

/** Resolves `text` against `now` (epoch ms) in `zone` (a valid IANA name). Never throws. */
export function resolveRelativeTime (text: string, now: number, zone: string): RelativeTime {
  if (!looksRelative(text)) return failure(`a relative time ${RELATIVE_TIME_FORM}`)
  const canonicalZone = resolveZone(zone)
  let instant = now
  let position = 3
  let steps = 0
  while (position < text.length) {
    STEP.lastIndex = position
    const step = STEP.exec(text)
    if (step === null) return failure(stepProblem(text.slice(position)))
    if (++steps > MOST_STEPS) return failure(`a relative time of at most ${MOST_STEPS} steps`)
    const [whole, sign, count, unit, roundingUnit] = step
    instant = roundingUnit !== undefined
      ? roundDown(instant, roundingUnit as Unit, canonicalZone)
      : move(instant, (sign === '-' ? -1 : 1) * Number(count), unit as Unit, canonicalZone)
    if (!(instant >= EARLIEST_STEP && instant < LATEST_STEP)) return failure('a relative time that stays within the years 1000 to 9999')
    position += whole.length
  }
  return { ok: true, instant }
}

function stepProblem (rest: string): string {
  if (/^\/\d/.test(rest)) return `rounding to a whole unit without a count (/d, not /1d) in ${RELATIVE_TIME_FORM}`
  const unit = /^(?:[+ -]\d+|\/)(.)/.exec(rest)?.[1]
  if (unit !== undefined && !UNITS.includes(unit)) return `a unit among s m h d w M y (not '${unit}') in ${RELATIVE_TIME_FORM}`
  return RELATIVE_TIME_FORM
}

function move (instant: number, count: number, unit: Unit, zone: string): number {
  switch (unit) {
    case 's': return instant + count * SECOND_MS
    case 'm': return instant + count * MINUTE_MS
    case 'h': return instant + count * HOUR_MS
    case 'd': return moveWallTime(instant, zone, wall => wall + count * DAY_MS)
    case 'w': return moveWallTime(instant, zone, wall => wall + count * 7 * DAY_MS)
    case 'M': return moveWallTime(instant, zone, wall => addMonths(wall, count))
    case 'y': return moveWallTime(instant, zone, wall => addMonths(wall, count * 12))
  }
}

/** The instant the zone's clock first reaches the wall time `change` makes of the one it reads at `instant`. */
function moveWallTime (instant: number, zone: string, change: (wall: number) => number): number {
  const moved = change(instant + offsetMsAt(zone, instant))
  if (!(moved >= EARLIEST_STEP && moved < LATEST_STEP)) return Number.NaN
  return instantsReachingMark(moved, zone)[0]!
}

/** The same day of the month and time of day `months` later, the day clamped to the target month's length. */
function addMonths (wall: number, months: number): number {
  const date = new Date(wall)
  const target = monthStart(date.getUTCFullYear(), date.getUTCMonth() + months)
  const lastDay = (monthStart(new Date(target).getUTCFullYear(), new Date(target).getUTCMonth() + 1) - target) / DAY_MS
  return target + (Math.min(date.getUTCDate(), lastDay) - 1) * DAY_MS + positiveModulo(wall, DAY_MS)
}

function roundDown (instant: number, unit: Unit, zone: string): number {
  switch (unit) {
    // Offsets have been whole minutes everywhere since 1972, so local minutes and seconds are UTC's.
    case 's': return instant - positiveModulo(instant, SECOND_MS)
    case 'm': return instant - positiveModulo(instant, MINUTE_MS)
    case 'h': return floorBoundary(instant, 'hour', zone)
    case 'd': return floorBoundary(instant, 'day', zone)
    case 'M': return floorBoundary(instant, 'month', zone)
    case 'w': {
      const midnight = localMidnightOfDayAt(instant, zone)
      const daysSinceMonday = positiveModulo(new Date(midnight).getUTCDay() - 1, 7)
      return startOfLocalDay(midnight - daysSinceMonday * DAY_MS, zone)
    }
    case 'y': {
      const year = new Date(localMidnightOfDayAt(instant, zone)).getUTCFullYear()
      return startOfLocalDay(monthStart(year, 0), zone)
    }
  }
}

/** The wall-time midnight of the local day (the day bucket) containing `instant`. */
function localMidnightOfDayAt (instant: number, zone: string): number {
  const dayStart = floorBoundary(instant, 'day', zone)
  // The bucket's first instant reads its date (at midnight, or later when midnight was skipped).
  const wall = dayStart + offsetMsAt(zone, dayStart)
  return wall - positiveModulo(wall, DAY_MS)
}

function failure (reason: string): RelativeTime {
  return { ok: false, reason }
}
