/** A validated usage query and the answer the core produces for it, before formatting. */
import type { Bucket, Granularity, TimeRange } from '../time/index.js'
import type { Dimension } from './source-adapter.js'
import type { MergedSeries } from './merge-series.js'

export type Filters = Partial<Record<Dimension, readonly string[]>>

export interface UsageQuery {
  /** Requested [from, to), before widening to whole buckets. */
  from: number
  to: number
  granularity: Granularity
  zone: string
  /** Requested metrics, or null for all. */
  metrics: readonly string[] | null
  groupBy: readonly Dimension[]
  filters: Filters
  strict: boolean
  /** Answer from the usage ledger only, as it was at this instant (epoch ms); absent or null: now, from ledger and providers. */
  asOf?: number | null
}

export type SourceStatus = 'ok' | 'partial' | 'failed' | 'unaligned' | 'out_of_range'

export interface SourceErrorReport {
  code: string
  message: string
  providerCode: string | null
  requestId: string | null
}

export interface SourceReport {
  id: string
  kind: string
  provider: string
  /** The provider's account id, as configured; null when unknown. */
  account: string | null
  status: SourceStatus
  /** Upstream calls made for this answer (each retry counts once with its call). */
  calls: number
  /** Calls answered from the cache instead. */
  cachedCalls: number
  /** Native buckets answered from the usage ledger (per call variant) instead of calling. */
  ledgerBuckets: number
  simulated: boolean
  error: SourceErrorReport | null
  /** The part of the range older than the source's lookback, when there is one. */
  outOfRange: TimeRange | null
}

/** The one list of warning codes (the response schema enumerates the same, checked at compile time). */
export const WARNING_TYPES = [
  'unaligned', 'out_of_range', 'source_failed', 'deadline_exceeded', 'filter_unsupported', 'group_unsupported', 'metric_unavailable',
  'ledger_unavailable', 'restated', 'not_in_ledger'
] as const

export type WarningType = (typeof WARNING_TYPES)[number]

export interface UsageWarning {
  type: WarningType
  source: string | null
  message: string
  suggestedZones?: string[]
}

export interface UsageAnswer {
  range: TimeRange
  buckets: readonly Bucket[]
  series: MergedSeries[]
  complete: boolean
  /**
   * Every bucket of the range is over and past every selected source's data delay: nothing in it can still arrive.
   * Said of the range, not of points, so an answer with no series (no usage in a grouped query) is settled only
   * when its range is.
   */
  settled: boolean
  sources: SourceReport[]
  warnings: UsageWarning[]
  /** When the oldest cached upstream answer used was fetched; null when nothing came from the cache. */
  oldestCachedAt: number | null
  /** The instant (whole seconds) the answer was computed for. */
  now: number
  /** The deadline had passed by the time the answer was merged (so what is missing may be the deadline's doing). */
  deadlinePassed: boolean
  /** Every upstream call the answer is made of and the cache entry that answered it: its cache fingerprint. */
  upstream: readonly UpstreamPart[]
}

/**
 * One upstream call of an answer. `cachedAt` is when the cached answer used was fetched, and so names that
 * cache entry; null when the call was made (or failed) for this answer.
 */
export interface UpstreamPart {
  source: string
  key: string
  cachedAt: number | null
}
