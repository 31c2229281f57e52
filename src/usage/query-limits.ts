/**
 * Bounds on the work one request may cause, checked before anything expensive happens: the range and its
 * buckets, the upstream calls planned across sources, and the points of the answer (estimated before calling, counted
 * after merging). Each refusal is a 400 QUERY_TOO_LARGE that says how to narrow the query.
 */
import { UsageError } from '../errors.js'
import { listBuckets, type Bucket, type Granularity, type TimeRange } from '../time/index.js'
import type { Dimension } from './source-adapter.js'
import type { MergedSeries } from './merge-series.js'
import type { SourcePlan } from './plan-source.js'
import { sourceIdentity, type SelectedSource } from './select-sources.js'

export interface QueryLimits {
  /** Longest [from, to) answered at once. */
  maxRangeMs: number
  /** Most buckets (of the query's granularity) in one answer. */
  maxBuckets: number
  /** Most upstream calls one request may plan, over all sources (cached answers included: the answer must not depend on the cache). */
  maxUpstreamCalls: number
  /** Most points (series × buckets) in one answer. */
  maxPoints: number
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxRangeMs: 731 * 86_400_000,
  maxBuckets: 10_000,
  maxUpstreamCalls: 500,
  maxPoints: 100_000
}

const DAY_MS = 86_400_000

/** The defaults, overridden only by the values actually given. */
export function resolveLimits (overrides: Partial<QueryLimits> = {}): QueryLimits {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined)
  return { ...DEFAULT_QUERY_LIMITS, ...Object.fromEntries(defined) }
}

export function checkRange (from: number, to: number, limits: QueryLimits): void {
  if (to - from <= limits.maxRangeMs) return
  const days = Math.ceil((to - from) / DAY_MS)
  const maxDays = Math.floor(limits.maxRangeMs / DAY_MS)
  throw new UsageError('QUERY_TOO_LARGE', `from..to spans ${days} days; at most ${maxDays} days are answered at once: ` +
    'split the range into several queries', { details: [{ parameter: 'from,to', days, maxDays }] })
}

/** Longest possible bucket of each granularity (a 25-hour DST day, a 31-day month with an extra hour): the estimate is a lower bound. */
const LONGEST_BUCKET_MS: Record<Granularity, number> = { hour: 3_600_000, day: 90_000_000, month: 31 * 86_400_000 + 3_600_000 }

/** The buckets of the widened range, refused before they are listed when there would be too many. */
export function listBucketsWithin (range: TimeRange, granularity: Granularity, zone: string, limits: QueryLimits): Bucket[] {
  // Refuse before allocating: a century of hours is a caller's typo, not a workload.
  const approximate = (range.to - range.from) / LONGEST_BUCKET_MS[granularity]
  if (approximate > limits.maxBuckets) throw tooManyBuckets(Math.ceil(approximate), granularity, limits.maxBuckets)
  const buckets = listBuckets(range, granularity, zone)
  if (buckets.length > limits.maxBuckets) throw tooManyBuckets(buckets.length, granularity, limits.maxBuckets)
  return buckets
}

function tooManyBuckets (count: number, granularity: Granularity, maxBuckets: number): UsageError {
  return new UsageError('QUERY_TOO_LARGE', `the range holds about ${count} ${granularity} buckets; at most ${maxBuckets} are answered at once: ` +
    'narrow from/to or use a coarser granularity', { details: [{ parameter: 'from,to', buckets: count, maxBuckets }] })
}

export function checkPlannedCalls (planned: ReadonlyArray<{ source: SelectedSource, plan: SourcePlan }>, limits: QueryLimits): void {
  const perSource = planned
    .map(({ source, plan }) => ({ source: source.runtime.config.id, calls: plan.status === 'planned' ? plan.calls.length : 0 }))
    .filter(entry => entry.calls > 0)
  const calls = perSource.reduce((sum, entry) => sum + entry.calls, 0)
  if (calls <= limits.maxUpstreamCalls) return
  throw new UsageError('QUERY_TOO_LARGE', `the query needs ${calls} upstream calls (${perSource.map(entry => `${entry.source}: ${entry.calls}`).join(', ')}); ` +
    `at most ${limits.maxUpstreamCalls} are made for one request: narrow from/to, filter fewer values (a filter the provider ` +
    'cannot take as a list costs one call per value and window), use a coarser granularity for sources without native buckets, ' +
    'or select fewer sources with source=',
  { details: [{ parameter: 'from,to,source,filters', upstreamCalls: calls, maxUpstreamCalls: limits.maxUpstreamCalls, perSource }] })
}

/**
 * Before any call: the series the merger will create whatever the providers answer (one per metric and
 * source identity, when grouping only by provider or source). Grouping by other dimensions creates series
 * only for values the providers report, so those are counted after merging.
 */
export function checkEstimatedPoints (
  selected: readonly SelectedSource[], groupBy: readonly Dimension[], identityDimensions: readonly Dimension[], bucketCount: number, limits: QueryLimits
): void {
  if (!groupBy.every(name => identityDimensions.includes(name))) return
  const series = new Set<string>()
  for (const source of selected) {
    const identity = sourceIdentity(source.runtime)
    const key = groupBy.map(name => identity[name] ?? '').join('\u0000')
    for (const metric of source.metrics) series.add(`${metric}\u0000${key}`)
  }
  checkPoints(series.size, bucketCount, limits)
}

export function checkMergedPoints (series: readonly MergedSeries[], bucketCount: number, limits: QueryLimits): void {
  checkPoints(series.length, bucketCount, limits)
}

function checkPoints (seriesCount: number, bucketCount: number, limits: QueryLimits): void {
  const points = seriesCount * bucketCount
  if (points <= limits.maxPoints) return
  throw new UsageError('QUERY_TOO_LARGE', `the answer would hold ${points} points (${seriesCount} series × ${bucketCount} buckets); ` +
    `at most ${limits.maxPoints} are answered at once: narrow from/to, use a coarser granularity, ask for fewer metrics, or group by fewer dimensions`,
  { details: [{ parameter: 'from,to,granularity,metrics,groupBy', points, series: seriesCount, buckets: bucketCount, maxPoints: limits.maxPoints }] })
}
