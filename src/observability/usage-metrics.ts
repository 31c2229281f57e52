/**
 * Prometheus metrics, on a registry of the app's own (not prom-client's global one), so that several apps
 * in one process — tests, the benchmark — never share or clash over counters. Names follow Prometheus'
 * conventions and pass `promtool check metrics`: ours start with `usage_service_`, counters end in `_total`,
 * units are base units named last (`_seconds`). Every per-source series exists from startup at 0
 * (`addSource`), so a dashboard or an alert sees a zero, never an absent series.
 */
import { readFileSync } from 'node:fs'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export const CALL_OUTCOMES = ['ok', 'throttled', 'auth', 'parameter', 'server', 'network', 'timeout', 'malformed', 'cancelled', 'error'] as const
export type CallOutcome = typeof CALL_OUTCOMES[number]

export const CACHE_LOOKUP_RESULTS = ['hit', 'miss', 'coalesced'] as const
export type CacheLookupResult = typeof CACHE_LOOKUP_RESULTS[number]

/**
 * What became of a /usage query that reached the core: an answer that is complete, one that is not (some source
 * or point incomplete), or an error answer instead of one (5xx: strict=true refused it, the deadline passed, a
 * sum too large, a bug). A query refused as invalid (4xx) is not an answer and is not counted.
 */
export const ANSWER_COMPLETENESS = ['complete', 'incomplete', 'failed'] as const
export type AnswerCompleteness = typeof ANSWER_COMPLETENESS[number]

/**
 * prom-client's process metrics that promtool refuses: gauges named `_total`. The same counts by type remain
 * (`nodejs_active_handles`, `nodejs_active_requests`, `nodejs_active_resources`), so nothing is lost.
 */
const NON_CONVENTIONAL_PROCESS_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']

/** The version in package.json, read next to `src/` or `dist/` alike. */
const SERVICE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

export interface UsageMetricsOptions {
  /** Node process metrics too, as the server exposes; off in tests, which build many registries. */
  processMetrics?: boolean
  /** The commit the running build was made from, when known; a label of `usage_service_build_info`. */
  buildCommit?: string | null
}

/** What the replica metrics read when scraped; set by the runtime when replicas share through Redis. */
export interface ReplicaReadings {
  /** 'shared' when the source's budget goes through Redis right now, 'local' when it keeps to this replica's share. */
  budgetMode(sourceId: string): 'shared' | 'local'
  redisConnected(): boolean
  /** Calls made without Redis since boot: budget slots taken locally, calls made without shared coalescing. */
  fallbacks(): { budget: number, coalescing: number }
}

export class UsageMetrics {
  readonly registry = new Registry()
  readonly buildInfo = new Gauge({
    name: 'usage_service_build_info',
    help: 'Always 1; its labels say which build is running: version, Node.js version and commit.',
    labelNames: ['version', 'node_version', 'commit'] as const,
    registers: [this.registry]
  })

  readonly upstreamCalls = new Counter({
    name: 'usage_service_upstream_calls_total', help: 'Upstream call attempts made, by source, kind and outcome.', labelNames: ['source', 'kind', 'outcome'] as const, registers: [this.registry]
  })

  readonly upstreamLatency = new Histogram({
    name: 'usage_service_upstream_call_duration_seconds',
    help: 'Upstream call attempt duration in seconds, by source and kind.',
    labelNames: ['source', 'kind'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry]
  })

  readonly throttles = new Counter({
    name: 'usage_service_upstream_throttled_total', help: 'Upstream call attempts refused by the provider for rate limiting, by source and kind.', labelNames: ['source', 'kind'] as const, registers: [this.registry]
  })

  readonly retries = new Counter({
    name: 'usage_service_upstream_retries_total', help: 'Upstream calls retried after a retryable failure, by source and kind.', labelNames: ['source', 'kind'] as const, registers: [this.registry]
  })

  readonly cacheLookups = new Counter({
    name: 'usage_service_cache_lookups_total', help: 'Upstream answer lookups, by source, kind and result (hit, miss, coalesced).', labelNames: ['source', 'kind', 'result'] as const, registers: [this.registry]
  })

  readonly answers = new Counter({
    name: 'usage_service_answers_total', help: 'GET /usage answers given (a 304 included), by completeness (complete, incomplete, failed).', labelNames: ['completeness'] as const, registers: [this.registry]
  })

  readonly inFlightRequests = new Gauge({
    name: 'usage_service_http_requests_in_flight', help: 'HTTP requests being served.', registers: [this.registry]
  })

  readonly requestLatency = new Histogram({
    name: 'usage_service_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by route template and status code.',
    labelNames: ['route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry]
  })

  readonly budgetWait = new Histogram({
    name: 'usage_service_budget_wait_seconds',
    help: 'Time an upstream attempt waited for a slot of its account\'s budget for the API, by source.',
    labelNames: ['source'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry]
  })

  readonly replicaJoins = new Counter({
    name: 'usage_service_replica_coalesced_joins_total', help: 'Upstream calls this replica waited for while another replica made them (shared coalescing), by source.', labelNames: ['source'] as const, registers: [this.registry]
  })

  /** Sources whose budget mode is reported; every source of the runtime. */
  private readonly budgetSources: string[] = []
  private replicaReadings: ReplicaReadings | null = null
  private readonly reportedFallbacks = { budget: 0, coalescing: 0 }

  readonly budgetMode = new Gauge({
    name: 'usage_service_budget_mode',
    help: 'Budget of the source\'s account and API: 1 shared between replicas through Redis, 0 local to this process.',
    labelNames: ['source'] as const,
    registers: [this.registry],
    collect: () => {
      for (const source of this.budgetSources) this.budgetMode.set({ source }, this.replicaReadings?.budgetMode(source) === 'shared' ? 1 : 0)
    }
  })

  readonly redisConnected = new Gauge({
    name: 'usage_service_redis_connected',
    help: 'Whether Redis answers (1) or this replica runs on its own shares (0); absent when no Redis is configured.',
    registers: [this.registry],
    collect: () => { if (this.replicaReadings !== null) this.redisConnected.set(this.replicaReadings.redisConnected() ? 1 : 0) }
  })

  readonly redisFallbacks = new Counter({
    name: 'usage_service_redis_fallbacks_total',
    help: 'Upstream calls made without Redis while it was configured, by what fell back (budget, coalescing).',
    labelNames: ['component'] as const,
    registers: [this.registry],
    collect: () => {
      if (this.replicaReadings === null) return
      const now = this.replicaReadings.fallbacks()
      for (const component of ['budget', 'coalescing'] as const) {
        const added = now[component] - this.reportedFallbacks[component]
        if (added > 0) this.redisFallbacks.inc({ component }, added)
        this.reportedFallbacks[component] = now[component]
      }
    }
  })

  constructor (options: UsageMetricsOptions = {}) {
    if (options.processMetrics) {
      collectDefaultMetrics({ register: this.registry })
      for (const name of NON_CONVENTIONAL_PROCESS_METRICS) this.registry.removeSingleMetric(name)
    }
    this.buildInfo.set({ version: SERVICE_VERSION, node_version: process.version, commit: options.buildCommit ?? 'unknown' }, 1)
    for (const completeness of ANSWER_COMPLETENESS) this.answers.inc({ completeness }, 0)
  }

  /** Creates every series of one configured source at 0: each outcome, each cache result, retries, throttles, latency. */
  addSource (source: { id: string, kind: string }): void {
    const labels = { source: source.id, kind: source.kind }
    for (const outcome of CALL_OUTCOMES) this.upstreamCalls.inc({ ...labels, outcome }, 0)
    for (const result of CACHE_LOOKUP_RESULTS) this.cacheLookups.inc({ ...labels, result }, 0)
    this.throttles.inc(labels, 0)
    this.retries.inc(labels, 0)
    this.upstreamLatency.zero(labels)
  }

  /** Called once by the runtime: the sources whose budget mode is reported, and the replicas' state when Redis is configured. */
  watchBudgets (sourceIds: readonly string[], readings: ReplicaReadings | null): void {
    this.budgetSources.push(...sourceIds)
    this.replicaReadings = readings
  }
}

/** Counts one /usage outcome (see ANSWER_COMPLETENESS); `metrics` is absent where an app is built without them. */
export function countAnswer (metrics: UsageMetrics | undefined, completeness: AnswerCompleteness): void {
  metrics?.answers.inc({ completeness })
}

export function outcomeOf (error: unknown): CallOutcome {
  const code = (error as { code?: unknown } | null)?.code
  switch (code) {
    case 'UPSTREAM_THROTTLED': return 'throttled'
    case 'UPSTREAM_AUTH': return 'auth'
    case 'UPSTREAM_PARAMETER': return 'parameter'
    case 'UPSTREAM_SERVER': return 'server'
    case 'UPSTREAM_NETWORK': return 'network'
    case 'UPSTREAM_TIMEOUT': return 'timeout'
    case 'UPSTREAM_MALFORMED': return 'malformed'
    default: return ['AbortError', 'TimeoutError'].includes((error as Error | null)?.name ?? '') ? 'cancelled' : 'error'
  }
}
