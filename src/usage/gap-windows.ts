/**
 * Pure: the fewest upstream windows that fetch every native bucket the ledger does not hold. A window may run
 * over settled buckets lying between two gaps when that saves a call (what it fetches for them is not used:
 * the ledger answers them); it never starts or ends on one.
 */
import type { TimeRange } from '../time/index.js'

export interface GapBucket {
  start: number
  end: number
}

/**
 * `missing` are native buckets (any order, no duplicates); `longestMs` is the longest window one call may ask
 * for (at least one bucket long). Greedy from the earliest missing bucket: each window reaches as far as the
 * span limit allows and ends at the last missing bucket inside it, which is the fewest windows there are.
 */
export function gapWindows (missing: readonly GapBucket[], longestMs: number): TimeRange[] {
  const sorted = [...missing].sort((left, right) => left.start - right.start)
  const windows: TimeRange[] = []
  let current: TimeRange | null = null
  for (const bucket of sorted) {
    if (current !== null && bucket.end - current.from <= longestMs) {
      current.to = bucket.end
      continue
    }
    current = { from: bucket.start, to: bucket.end }
    windows.push(current)
  }
  return windows
}
