import type { TimeRange } from './bucket.js'
import { floorBoundary } from './bucket-boundaries.js'
import type { Granularity } from './granularity.js'
import { assertRange } from './time-guards.js'

/** Listing needs both ends on bucket boundaries; widening is the caller's explicit step (widenRange). */
export function assertAlignedRange (range: TimeRange, granularity: Granularity, zone: string): void {
  assertRange(range)
  for (const [name, instant] of [['from', range.from], ['to', range.to]] as const) {
    if (floorBoundary(instant, granularity, zone) !== instant) {
      throw new RangeError(`range.${name} (${new Date(instant).toISOString()}) is not on a ${granularity} boundary in ${zone}; widen the range first`)
    }
  }
}
