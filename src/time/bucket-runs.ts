import { nextBoundary } from './bucket-boundaries.js'
import { DAY_MS, HOUR_MS } from './durations.js'
import type { Granularity } from './granularity.js'
import { offsetSegments } from './offset-timeline.js'

/** `count` consecutive buckets of equal length tiling [start, end). */
export interface BucketRun { start: number, end: number, count: number }

const FIXED_STEP_MS: Partial<Record<Granularity, number>> = { hour: HOUR_MS, day: DAY_MS }
// Finding a boundary looks at offsets up to ~40 h around it; farther than this from an offset change,
// hours and days are evenly spaced.
const CHANGE_MARGIN_MS = 2 * DAY_MS
// Bounds how much of the zone's timeline one look ahead may load.
const LOOKAHEAD_MS = 400 * DAY_MS

/**
 * Walks the buckets tiling [from, to) (both boundaries) in order, as runs: a quiet stretch of evenly spaced
 * hours or days comes as one run, so counting or checking years of hours costs a few steps per offset change
 * instead of one per bucket. Stops early when `visit` returns false.
 */
export function forEachBucketRun (
  from: number, to: number, granularity: Granularity, zone: string, visit: (run: BucketRun) => boolean | void
): void {
  const stepMs = FIXED_STEP_MS[granularity]
  for (let start = from; start < to;) {
    const quietCount = stepMs === undefined ? 0 : quietBucketCount(start, to, stepMs, zone)
    const run = quietCount > 0
      ? { start, end: start + quietCount * stepMs!, count: quietCount }
      : { start, end: nextBoundary(start, granularity, zone), count: 1 }
    if (visit(run) === false) return
    start = run.end
  }
}

/** Whole steps from `boundary` that stay at least the margin away from any offset change, and not past `to`. */
function quietBucketCount (boundary: number, to: number, stepMs: number, zone: string): number {
  const windowStart = boundary - CHANGE_MARGIN_MS
  const windowEnd = Math.min(to, boundary + LOOKAHEAD_MS) + CHANGE_MARGIN_MS
  const segment = offsetSegments(zone, windowStart, windowEnd)
    .find(candidate => candidate.start <= boundary && boundary < candidate.end)
  if (segment === undefined || segment.start !== windowStart) return 0
  const quietEnd = Math.min(to, segment.end - CHANGE_MARGIN_MS)
  return quietEnd > boundary ? Math.floor((quietEnd - boundary) / stepMs) : 0
}
