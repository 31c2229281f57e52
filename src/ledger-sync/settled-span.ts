import { ceilToGrid, floorToGrid, type NativeGrid, type TimeRange } from '../time/index.js'
import { LOOKBACK_SAFETY_MS } from '../usage/plan-source.js'
import type { RuntimeSource } from '../usage/source-executor.js'

/**
 * The native buckets of a source the ledger may hold now: settled (end + the source's settle delay ≤ now) and
 * still inside the provider's lookback (with the planner's safety margin, so a call planned now is not refused a
 * moment later). Both ends on the grid; empty when nothing qualifies.
 */
export function settledSpan (source: RuntimeSource, grid: NativeGrid, now: number): TimeRange {
  const from = ceilToGrid(now - source.adapter.limits.lookbackMs + LOOKBACK_SAFETY_MS, grid)
  const to = floorToGrid(now - source.executor.settleDelayMs, grid)
  return { from, to: Math.max(from, to) }
}
