import type { Bucket, TimeRange } from './bucket.js'
import { positiveModulo } from './positive-modulo.js'
import { assertRange } from './time-guards.js'

/**
 * A provider's fixed native bucket grid: boundaries are the instants t with (t - offsetMs) divisible by
 * stepMs. Hourly UTC: {stepMs: 3_600_000, offsetMs: 0}; Tencent days on UTC+08:00:
 * {stepMs: 86_400_000, offsetMs: -8 * 3_600_000} (boundaries at 16:00Z); 5 minutes: {stepMs: 300_000, offsetMs: 0}.
 */
export interface NativeGrid { stepMs: number, offsetMs: number, label: string }

export function isOnGrid (instant: number, grid: NativeGrid): boolean {
  assertGrid(grid)
  return positiveModulo(instant - grid.offsetMs, grid.stepMs) === 0
}

export function floorToGrid (instant: number, grid: NativeGrid): number {
  assertGrid(grid)
  return instant - positiveModulo(instant - grid.offsetMs, grid.stepMs)
}

export function ceilToGrid (instant: number, grid: NativeGrid): number {
  const floor = floorToGrid(instant, grid)
  return floor === instant ? instant : floor + grid.stepMs
}

/** True iff every bucket's start and end lie on the grid, i.e. each bucket is an exact union of native buckets. */
export function bucketsAlignToGrid (buckets: readonly Bucket[], grid: NativeGrid): boolean {
  return buckets.every(bucket => isOnGrid(bucket.start, grid) && isOnGrid(bucket.end, grid))
}

/** Native buckets tiling an on-grid range. Throws RangeError if not on grid. */
export function listGridBuckets (range: TimeRange, grid: NativeGrid): Bucket[] {
  assertRange(range)
  if (!isOnGrid(range.from, grid) || !isOnGrid(range.to, grid)) {
    throw new RangeError(`range [${range.from}, ${range.to}) is not on the ${grid.label} grid`)
  }
  const buckets: Bucket[] = []
  for (let start = range.from; start < range.to; start += grid.stepMs) buckets.push({ start, end: start + grid.stepMs })
  return buckets
}

// A zero or fractional step would make every check above meaningless rather than fail loudly.
function assertGrid (grid: NativeGrid): void {
  if (!Number.isSafeInteger(grid.stepMs) || grid.stepMs <= 0 || !Number.isSafeInteger(grid.offsetMs)) {
    throw new RangeError(`invalid native grid ${JSON.stringify(grid)}: stepMs must be a positive integer, offsetMs an integer`)
  }
}
