import type { Granularity } from './granularity.js'
import { instantsReachingMark, lowestWallTimeAhead } from './mark-reach.js'
import { offsetMsAt } from './offset-timeline.js'
import { floorMark, nextMark } from './wall-clock.js'

// Bucket boundaries of a granularity in a zone (canonical name, already validated):
// - an hour bucket starts whenever the local clock reads hh:00:00, or jumps forward over such a reading.
//   A repeated hour after clocks are turned back is a real hour and gets a bucket of its own;
// - a day (month) starts the first time the clock reaches that date's midnight (the 1st's midnight).
//   A repeated midnight does not start the same day again, and a date the clock skips entirely has no bucket.
// Every day boundary is an hour boundary and every month boundary a day boundary, so buckets nest.

// Far more marks than any real zone needs (a skipped day is 24 hour marks); stops a loop on corrupt data.
const MAX_MARKS_VISITED = 1_000

function boundariesOfMark (mark: number, granularity: Granularity, zone: string): number[] {
  const reaches = instantsReachingMark(mark, zone)
  return granularity === 'hour' ? reaches : reaches.slice(0, 1)
}

/** Latest boundary at or before `instant`. */
export function floorBoundary (instant: number, granularity: Granularity, zone: string): number {
  // Boundaries of earlier marks are never later than the first reach of this one, so start here; later marks
  // matter only when clocks were turned back before `instant`.
  let mark = floorMark(instant + offsetMsAt(zone, instant), granularity)
  let floor = -Infinity
  for (let visited = 0; visited < MAX_MARKS_VISITED; visited++) {
    const boundaries = boundariesOfMark(mark, granularity, zone)
    if (boundaries[0]! > instant) break
    for (const boundary of boundaries) if (boundary <= instant && boundary > floor) floor = boundary
    mark = nextMark(mark, granularity)
  }
  if (!Number.isFinite(floor)) throw new Error(`no ${granularity} boundary found at or before ${instant} in ${zone}`)
  return floor
}

/** Earliest boundary at or after `instant`. */
export function ceilBoundary (instant: number, granularity: Granularity, zone: string): number {
  // If clocks are turned back ahead, an earlier mark is read again after `instant`: start from the lowest reading.
  let mark = floorMark(lowestWallTimeAhead(instant, zone), granularity)
  let ceil = Infinity
  for (let visited = 0; visited < MAX_MARKS_VISITED; visited++) {
    const boundaries = boundariesOfMark(mark, granularity, zone)
    // First reaches only grow with the mark, so no later mark can beat what was found.
    if (boundaries[0]! >= ceil) break
    for (const boundary of boundaries) if (boundary >= instant && boundary < ceil) ceil = boundary
    mark = nextMark(mark, granularity)
  }
  if (!Number.isFinite(ceil)) throw new Error(`no ${granularity} boundary found at or after ${instant} in ${zone}`)
  return ceil
}

/** The boundary after `boundary`. */
export function nextBoundary (boundary: number, granularity: Granularity, zone: string): number {
  return ceilBoundary(boundary + 1, granularity, zone)
}

/** First instant of the local day whose midnight is the wall time `midnight` (later if that day was skipped). */
export function startOfLocalDay (midnight: number, zone: string): number {
  return instantsReachingMark(midnight, zone)[0]!
}
