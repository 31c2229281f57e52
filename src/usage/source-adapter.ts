/**
 * The provider-neutral adapter interface: the only thing the core knows about a provider API.
 * Treat changes here as breaking: every adapter and the contract suite depend on it.
 */
import type { z } from 'zod'
import type { Clock } from '../clock.js'
import type { NativeGrid, TimeRange } from '../time/index.js'
import type { Dimension, MetricDefinition } from './catalog.js'
import type { UpstreamHttp } from '../http/upstream-http.js'

export type ProviderName = 'aliyun' | 'tencent'

export interface SourceCredentials {
  /** Alibaba AccessKeyId or Tencent SecretId. */
  accessKeyId: string
  /** Alibaba AccessKeySecret or Tencent SecretKey. Never logged, never returned. */
  accessKeySecret: string
  /** STS security token (Alibaba) or session token (Tencent), when the credentials are temporary. */
  securityToken?: string
}

/** One provider API called with one account's credentials at one endpoint. */
export interface SourceConfig<Settings = unknown> {
  id: string
  kind: string
  /** Base URL, e.g. https://live.aliyuncs.com or http://127.0.0.1:4100 for a simulator. */
  endpoint: string
  /** The account's call budget per second for this API. */
  qps: number
  /** Most calls in flight at once. */
  concurrency: number
  credentials: SourceCredentials
  /** True when the endpoint is one of this service's own simulated providers. */
  simulated: boolean
  /** Overrides the kind's data delay (how long after a bucket ends its numbers may still change). */
  settleDelayMs?: number
  /** Kind-specific settings, already validated by the adapter's settingsSchema. */
  settings: Settings
}

/** How a kind buckets its data: fixed grids (coarsest first), or none (one total for any range). */
export type NativeBuckets =
  | { kind: 'grid', grids: readonly NativeGrid[] }
  | { kind: 'any', description: string }

export interface KindLimits {
  /** Longest range one call may ask for. */
  maxSpanMs: number
  /** Shortest range one call may ask for (0 if none). */
  minSpanMs: number
  /** How far back data can be asked for. */
  lookbackMs: number
  /** Documented (or assumed) queries per second per account. */
  defaultQps: number
}

/** One canonical metric as a kind reports it, for the catalog. */
export interface MetricMapping {
  metric: string
  /** Provider fields behind it, e.g. ['OutputHdDuration', 'OutputSdDuration', 'OutputLdDuration']. */
  providerFields: readonly string[]
  /** Dimensions the records of this metric can carry. */
  dimensions: readonly Dimension[]
  /** How the provider's unit becomes the canonical one, e.g. 'minutes × 60'. */
  conversion: string
  /**
   * What an answer that lacks something means for this metric, decided per kind and shown in the catalog: which
   * absences are refused (UPSTREAM_MALFORMED), which read 0 because the provider reported nothing, and which usage a
   * source's settings leave out (e.g. apps or areas not configured).
   */
  coverage: string
}

/** The grouping and filtering a query asks of one source. */
export interface PushdownQuery {
  groupBy: readonly Dimension[]
  /** Filter values per dimension (provider and source already applied by the core). */
  filters: Readonly<Partial<Record<Dimension, readonly string[]>>>
  /** The grid chosen for this query, or null for kinds without native buckets. */
  grid: NativeGrid | null
}

/** One way of calling the API for every window: the pushed-down parameters and the dimensions they fix. */
export interface CallVariant {
  /** Provider request parameters this variant adds (filters, SplitBy, ...). */
  parameters: Readonly<Record<string, string>>
  /** Dimension values every record of this call carries because the call was restricted to them. */
  dimensions: Readonly<Record<string, string>>
  /** How the adapter reads the answer (not sent): part of the call's identity for coalescing and caching. */
  options?: Readonly<Record<string, string>>
}

export interface UpstreamCall {
  window: TimeRange
  grid: NativeGrid | null
  variant: CallVariant
  /** Stable identity of the exact upstream request (source, window, grid, parameters): for coalescing and caching. */
  key: string
}

/** A usage amount for one native bucket (or, for kinds without buckets, the whole call window). */
export interface UsageRecord {
  metric: string
  start: number
  end: number
  /** Integer in the metric's canonical unit. */
  value: number
  dimensions: Record<string, string>
}

export interface FetchContext<Settings = unknown> {
  source: SourceConfig<Settings>
  http: UpstreamHttp
  clock: Clock
  signal: AbortSignal
}

export interface FetchResult {
  records: UsageRecord[]
  /** The provider's request id, for support tickets. */
  requestId: string | null
}

export interface SourceAdapter<Settings = unknown> {
  kind: string
  provider: ProviderName
  /** Human title, e.g. 'Alibaba Live production studio usage (DescribeLiveProducerUsageData)'. */
  title: string
  defaultEndpoint: string
  limits: KindLimits
  nativeBuckets: NativeBuckets
  /** How long after a native bucket ends its numbers may still change (the provider's data delay). */
  settleDelayMs: number
  metrics: readonly MetricMapping[]
  /** Metrics this kind registers beyond the canonical ones (fields with no sure canonical home). */
  extraMetrics?: readonly MetricDefinition[]
  /**
   * The metrics a source with these settings asks its provider about, given the query's filters; every metric of
   * `metrics` when absent. A metric the source does not ask about is not a zero: the source does not feed it at all.
   */
  metricsFor?(settings: Settings, filters: PushdownQuery['filters']): readonly string[]
  /** Dimensions a query can filter this kind by (each record of a filtered query carries the dimension). */
  filterDimensions: readonly Dimension[]
  settingsSchema: z.ZodType<Settings>
  /** Pure: the call variants that push the query's filters and grouping down to the API. */
  variants(query: PushdownQuery, settings: Settings): CallVariant[]
  /** Makes one upstream call (fresh-signed) and converts the answer to canonical records within the call window. */
  fetch(call: UpstreamCall, context: FetchContext<Settings>): Promise<FetchResult>
}
