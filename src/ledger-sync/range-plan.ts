/**
 * Pure: which native buckets of a requested range the ledger can be filled with now, for the CLI. A range is
 * narrowed to whole native buckets, then to what is settled and still within the provider's lookback; the parts
 * left out are named, so the operator knows why they were not fetched.
 */
import { ceilToGrid, floorToGrid, type TimeRange } from '../time/index.js'
import type { LedgerTarget } from './ledger-target.js'
import { settledSpan } from './settled-span.js'

export interface RangePlan {
  /** Whole native buckets, settled and within the lookback; empty (from = to) when none. */
  fetchable: TimeRange
  /** Older than the provider still answers: only what the ledger already holds exists. */
  beforeLookback: TimeRange | null
  /** Not settled yet (inside the data delay) or in the future. */
  notSettled: TimeRange | null
}

export function planRange (target: LedgerTarget, requested: TimeRange, now: number): RangePlan {
  const from = ceilToGrid(requested.from, target.grid)
  const to = Math.max(from, floorToGrid(requested.to, target.grid))
  const span = settledSpan(target.source, target.grid, now)
  const fetchFrom = Math.min(Math.max(from, span.from), to)
  const fetchTo = Math.max(Math.min(to, span.to), fetchFrom)
  return {
    fetchable: { from: fetchFrom, to: fetchTo },
    beforeLookback: fetchFrom > from ? { from, to: fetchFrom } : null,
    notSettled: to > fetchTo ? { from: fetchTo, to } : null
  }
}
