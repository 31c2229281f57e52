import { assertAlignedRange } from './aligned-range.js'
import type { Bucket, TimeRange } from './bucket.js'
import { ceilBoundary, floorBoundary } from './bucket-boundaries.js'
import { forEachBucketRun } from './bucket-runs.js'
import type { Granularity } from './granularity.js'
import { assertGranularity, assertInstant, assertRange } from './time-guards.js'
import { resolveZone } from './zone.js'

export { countBuckets } from './count-buckets.js'
export { formatInstant, formatUtcSeconds } from './format-instant.js'

/**
 * Start of the hour/day/month bucket containing `instant`, in local time of `zone`. Local hours are real
 * hours (a repeated hour after clocks go back is its own bucket); days start at local midnight or the first
 * existing local instant of that day; months at the 1st's local midnight.
 */
export function floorToBucket (instant: number, granularity: Granularity, zone: string): number {
  assertInstant(instant)
  assertGranularity(granularity)
  return floorBoundary(instant, granularity, resolveZone(zone))
}

/** Smallest bucket boundary >= instant. */
export function ceilToBucket (instant: number, granularity: Granularity, zone: string): number {
  assertInstant(instant)
  assertGranularity(granularity)
  return ceilBoundary(instant, granularity, resolveZone(zone))
}

/** Widens [from, to) outward to whole buckets: from floored, to ceiled. Requires from < to. */
export function widenRange (range: TimeRange, granularity: Granularity, zone: string): TimeRange {
  assertRange(range)
  assertGranularity(granularity)
  const canonicalZone = resolveZone(zone)
  return { from: floorBoundary(range.from, granularity, canonicalZone), to: ceilBoundary(range.to, granularity, canonicalZone) }
}

/** Consecutive buckets tiling an aligned range exactly. Throws RangeError if not aligned or from >= to. */
export function listBuckets (range: TimeRange, granularity: Granularity, zone: string): Bucket[] {
  assertGranularity(granularity)
  const canonicalZone = resolveZone(zone)
  assertAlignedRange(range, granularity, canonicalZone)
  const buckets: Bucket[] = []
  forEachBucketRun(range.from, range.to, granularity, canonicalZone, run => {
    const lengthMs = (run.end - run.start) / run.count
    for (let index = 0; index < run.count; index++) {
      buckets.push({ start: run.start + index * lengthMs, end: run.start + (index + 1) * lengthMs })
    }
  })
  return buckets
}
