/**
 * The adapter specification: the only thing the core knows about a provider API, and the only core module an adapter
 * needs. It names no provider: an adapter says which provider it calls, which metrics and dimensions its records
 * carry and how to call its API; the core plans, calls, merges and documents from that alone.
 * Treat changes here as breaking: every adapter and the contract suite depend on it. A change that an existing
 * adapter cannot meet unchanged is a new `specificationVersion`.
 */
import type { z } from 'zod'
import type { Clock } from '../clock.js'
import type { NativeGrid, TimeRange } from '../time/index.js'
import type { UpstreamHttp } from '../http/upstream-http.js'

/** The version of this specification an adapter is written against; the core refuses any other at startup. */
export const SPECIFICATION_VERSION = 'v1'

/** `provider_unit`: the provider does not document the unit; the number is passed through as it is. */
export const UNITS = ['second', 'count', 'provider_unit'] as const
export type Unit = (typeof UNITS)[number]

export interface MetricDefinition {
  name: string
  unit: Unit
  description: string
}

/**
 * The dimensions a query can group and filter by: the service's query parameters, so a fixed vocabulary. `provider`,
 * `source` and `account` are answered by every source from its identity; an adapter declares which of the others its records
 * carry (`SourceAdapter.dimensions`).
 */
export const DIMENSIONS = [
  'provider', 'source', 'account', 'service', 'region', 'domain', 'instance', 'app', 'area', 'type',
  'mode', 'tier', 'spec', 'task', 'mediaType', 'mediaProfile'
] as const
export type Dimension = (typeof DIMENSIONS)[number]

export function isDimension (name: string): name is Dimension {
  return (DIMENSIONS as readonly string[]).includes(name)
}

export interface SourceCredentials {
  /** The key's public id. */
  accessKeyId: string
  /** The key's secret. Never logged, never returned. */
  accessKeySecret: string
  /** The session token of temporary credentials. */
  securityToken?: string
}

/** One provider API called with one account's credentials at one endpoint. */
export interface SourceConfig<Settings = unknown> {
  id: string
  kind: string
  /** The provider's account id behind the credentials, when configured: the `account` dimension of its usage. */
  account?: string
  /** Base URL, e.g. the provider's public host, or http://127.0.0.1:4100 for a simulator. */
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
  /** Provider fields behind it, as the provider's documentation names them. */
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

/**
 * Plain JSON data: what a variant's parameters may hold, so that the core can turn them into a stable call key
 * (canonical JSON: object keys sorted, arrays in order).
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [name: string]: JsonValue | undefined }

/**
 * One way of calling the API for every window: the pushed-down parameters and the dimensions they fix.
 * `Parameters` is the adapter's own type: lists stay lists, and everything that changes the request or how its answer
 * is read belongs in it, because two calls with equal parameters (and window and grid) are one call to the core.
 */
export interface CallVariant<Parameters extends JsonValue = Readonly<Record<string, string>>> {
  parameters: Parameters
  /** Dimension values every record of this call carries because the call was restricted to them. */
  dimensions: Readonly<Record<string, string>>
}

/** See SourceAdapter.ledgerVariant. */
export interface LedgerVariant<Parameters extends JsonValue = any> {
  variant: CallVariant<Parameters>
  dimensions: readonly Dimension[]
}

export interface UpstreamCall<Parameters extends JsonValue = any> {
  window: TimeRange
  grid: NativeGrid | null
  variant: CallVariant<Parameters>
  /** Stable identity of the exact upstream request (source, window, grid, variant): for coalescing and caching. */
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

export interface SourceAdapter<Settings = unknown, Parameters extends JsonValue = any> {
  specificationVersion: typeof SPECIFICATION_VERSION
  /** Unique among registered adapters, e.g. 'cloud.api'; what a configured source names as its kind. */
  kind: string
  /** The provider's name, for the `provider` dimension, logs and the catalog; the core never compares it to a value. */
  provider: string
  /** Human title: the provider's product and API. */
  title: string
  defaultEndpoint: string
  limits: KindLimits
  nativeBuckets: NativeBuckets
  /** How long after a native bucket ends its numbers may still change (the provider's data delay). */
  settleDelayMs: number
  /** Every metric this kind reports: canonical ones (CANONICAL_METRICS) or its own `extraMetrics`. */
  metrics: readonly MetricMapping[]
  /** Metrics of this kind beyond the canonical ones (provider fields with no sure canonical home), with unit and description. */
  extraMetrics?: readonly MetricDefinition[]
  /** Every dimension its records can carry beyond `provider` and `source`. */
  dimensions: readonly Dimension[]
  /** What the values of some of those dimensions are for this kind, shown in the catalog, e.g. `{ service: 'cdn' }`. */
  dimensionValues?: Readonly<Partial<Record<Dimension, string>>>
  /**
   * The metrics a source with these settings asks its provider about, given the query's filters; every metric of
   * `metrics` when absent. A metric the source does not ask about is not a zero: the source does not feed it at all.
   */
  metricsFor?(settings: Settings, filters: PushdownQuery['filters']): readonly string[]
  /** Dimensions a query can filter this kind by (each record of a filtered query carries the dimension). */
  filterDimensions: readonly Dimension[]
  settingsSchema: z.ZodType<Settings>
  /** Pure: the call variants that push the query's filters and grouping down to the API. */
  variants(query: PushdownQuery, settings: Settings): Array<CallVariant<Parameters>>
  /**
   * Optional, pure: the finest call variant this kind can afford to keep in the usage ledger on `grid`, and the
   * dimensions its records always carry. A query that groups and filters only by those (and the source's identity) is
   * answered by rolling this variant up (its records filtered and summed) instead of fetching its own variants, so
   * every such query reads and fills one set of kept buckets. The kind promises that rolled up, it answers exactly what
   * its own variants would. Absent: every query keeps and reads its own variants.
   */
  ledgerVariant?(grid: NativeGrid, settings: Settings): LedgerVariant<Parameters>
  /** Makes one upstream call (fresh-signed) and converts the answer to canonical records within the call window. */
  fetch(call: UpstreamCall<Parameters>, context: FetchContext<Settings>): Promise<FetchResult>
}

/** The provider-neutral metrics every kind maps its fields onto where the meaning is sure. */
export const CANONICAL_METRICS: readonly MetricDefinition[] = [
  { name: 'transcode.duration', unit: 'second', description: 'Transcoding output duration (VOD and live).' },
  { name: 'enhance.duration', unit: 'second', description: 'Audio/video enhancement duration.' },
  { name: 'ai.duration', unit: 'second', description: 'Media AI (analysis, recognition, review) duration.' },
  { name: 'editing.duration', unit: 'second', description: 'Video editing (VOD and live) output duration.' },
  { name: 'recording.duration', unit: 'second', description: 'Live recording duration.' },
  { name: 'studio.output.duration', unit: 'second', description: 'Production studio streaming output duration.' },
  { name: 'costreaming.duration', unit: 'second', description: 'Real-time co-streaming duration.' },
  { name: 'snapshot.count', unit: 'count', description: 'Snapshots taken.' },
  { name: 'image.count', unit: 'count', description: 'Images processed.' },
  { name: 'tasks.count', unit: 'count', description: 'Processing tasks run.' }
]
