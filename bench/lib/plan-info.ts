/**
 * What the planner plans for one query, next to the minimum the API limits allow, per source. Planning is pure,
 * so this replays the front half of runUsageQuery (widen, list buckets, select, plan) without calling anyone.
 */
import type { Dimension } from '../../src/usage/source-adapter.js'
import { planSource } from '../../src/usage/plan-source.js'
import { IDENTITY_DIMENSIONS, selectSources } from '../../src/usage/select-sources.js'
import type { RuntimeSource } from '../../src/usage/source-executor.js'
import type { Filters, UsageQuery } from '../../src/usage/usage-query.js'
import { listBuckets, widenRange, type Bucket, type TimeRange } from '../../src/time/index.js'
import { minimumCalls, type MinimumCallsInput } from './floors.js'

export interface SourcePlanInfo {
  id: string
  kind: string
  qps: number
  concurrency: number
  status: 'planned' | 'unaligned'
  /** Calls the service's planner makes. */
  plannedCalls: number
  /** Fewest calls the API's span limit allows (see minimumCalls). */
  minimumCalls: number
  variants: number
  /** The fetchable part of the range, in ms (0 when unaligned or nothing can be fetched). */
  fetchableMs: number
  grid: string | null
}

export interface QueryPlanInfo {
  buckets: number
  range: TimeRange
  sources: SourcePlanInfo[]
}

export function planInfo (sources: readonly RuntimeSource[], query: UsageQuery, now: number): QueryPlanInfo {
  const range = widenRange({ from: query.from, to: query.to }, query.granularity, query.zone)
  const buckets = listBuckets(range, query.granularity, query.zone)
  const { selected } = selectSources(sources, query.filters, query.metrics)
  const filters = pushdownFilters(query.filters)
  const planQuery = { range, buckets, granularity: query.granularity, zone: query.zone, groupBy: query.groupBy, filters, now }
  return {
    buckets: buckets.length,
    range,
    sources: selected.map(({ runtime }) => {
      const { adapter, config } = runtime
      const plan = planSource(adapter, config, planQuery)
      const base = { id: config.id, kind: config.kind, qps: config.qps, concurrency: config.concurrency }
      if (plan.status === 'unaligned') {
        return { ...base, status: 'unaligned' as const, plannedCalls: 0, minimumCalls: 0, variants: 0, fetchableMs: 0, grid: null }
      }
      const variants = adapter.variants({ groupBy: query.groupBy, filters, grid: plan.grid }, config.settings).length
      const fetchable = plan.spans.find(span => span.status === 'planned')
      const input = minimumInput(fetchable, plan.grid?.stepMs ?? null, adapter.limits.maxSpanMs, variants, buckets)
      return {
        ...base,
        status: 'planned' as const,
        plannedCalls: plan.calls.length,
        minimumCalls: minimumCalls(input),
        variants,
        fetchableMs: fetchable ? fetchable.to - fetchable.from : 0,
        grid: plan.grid?.label ?? null
      }
    })
  }
}

/** The definition of the minimum, from the fetchable span the planner found (lookback and "not yet" are the API's). */
export function minimumInput (
  fetchable: TimeRange | undefined, stepMs: number | null, maxSpanMs: number, variants: number, buckets: readonly Bucket[]
): MinimumCallsInput {
  if (!fetchable || fetchable.to <= fetchable.from) return { buckets: 'none' }
  if (stepMs !== null) return { buckets: 'grid', spanMs: fetchable.to - fetchable.from, maxSpanMs, stepMs, variants }
  const windowsMs = buckets
    .map(bucket => Math.min(bucket.end, fetchable.to) - Math.max(bucket.start, fetchable.from))
    .filter(length => length > 0)
  return { buckets: 'any', windowsMs, maxSpanMs, variants }
}

/** As runUsageQuery: provider and source are applied by selection, the rest go to the adapters. */
function pushdownFilters (filters: Filters): Filters {
  const rest: Filters = {}
  for (const [name, values] of Object.entries(filters) as Array<[Dimension, readonly string[]]>) {
    if (!IDENTITY_DIMENSIONS.includes(name)) rest[name] = values
  }
  return rest
}
