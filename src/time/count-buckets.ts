import { assertAlignedRange } from './aligned-range.js'
import type { TimeRange } from './bucket.js'
import { forEachBucketRun } from './bucket-runs.js'
import type { Granularity } from './granularity.js'
import { assertGranularity } from './time-guards.js'
import { resolveZone } from './zone.js'

/** Number of buckets listBuckets would return, without building them (cheap, used to refuse huge queries). */
export function countBuckets (range: TimeRange, granularity: Granularity, zone: string): number {
  assertGranularity(granularity)
  const canonicalZone = resolveZone(zone)
  assertAlignedRange(range, granularity, canonicalZone)
  let count = 0
  forEachBucketRun(range.from, range.to, granularity, canonicalZone, run => { count += run.count })
  return count
}
