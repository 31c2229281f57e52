/**
 * Pure: which upstream windows fetch a set of native buckets. Gaps are runs of uncovered buckets; each run is cut
 * into the fewest windows the kind's span limit allows (or a shorter chosen length), every window on the grid.
 */
import { ceilToGrid, floorToGrid, type NativeGrid, type TimeRange } from '../time/index.js'
import type { BucketBounds } from '../ledger/index.js'
import type { KindLimits } from '../usage/source-adapter.js'

/** The runs of native buckets inside `span` (on the grid) that `covered` does not hold, in time order. */
export function uncoveredRuns (span: TimeRange, covered: readonly BucketBounds[], grid: NativeGrid): TimeRange[] {
  const coveredStarts = new Set(covered.map(bucket => bucket.start))
  const runs: TimeRange[] = []
  let runFrom: number | null = null
  for (let start = span.from; start < span.to; start += grid.stepMs) {
    if (coveredStarts.has(start)) {
      if (runFrom !== null) runs.push({ from: runFrom, to: start })
      runFrom = null
    } else {
      runFrom ??= start
    }
  }
  if (runFrom !== null) runs.push({ from: runFrom, to: span.to })
  return runs
}

export interface WindowLimits {
  limits: Pick<KindLimits, 'maxSpanMs' | 'minSpanMs'>
  /** Shorter windows than the span limit allows (finer progress and resumption, smaller transactions). */
  maxWindowMs?: number
  /** A window shorter than the kind's minimum span is widened backwards, never before this instant. */
  earliest: number
}

/** Cuts each run into windows of at most the span limit, whole native buckets each. */
export function windowsOf (runs: readonly TimeRange[], grid: NativeGrid, options: WindowLimits): TimeRange[] {
  const longestAllowed = Math.min(options.limits.maxSpanMs, options.maxWindowMs ?? Number.POSITIVE_INFINITY)
  const longest = Math.max(grid.stepMs, floorToGrid(longestAllowed, { ...grid, offsetMs: 0 }))
  const windows: TimeRange[] = []
  for (const run of runs) {
    for (let from = run.from; from < run.to; from += longest) {
      const to = Math.min(from + longest, run.to)
      windows.push({ from: widenedStart(from, to, grid, options), to })
    }
  }
  return windows
}

/**
 * A kind whose minimum span is longer than the gap (none today: every grid step is at least its minimum span)
 * asks again for the settled buckets before it; rewriting them is harmless (identical records write nothing).
 */
function widenedStart (from: number, to: number, grid: NativeGrid, options: WindowLimits): number {
  if (to - from >= options.limits.minSpanMs) return from
  const steps = Math.ceil(options.limits.minSpanMs / grid.stepMs)
  return Math.max(to - steps * grid.stepMs, Math.min(from, ceilToGrid(options.earliest, grid)))
}
