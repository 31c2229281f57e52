/**
 * Prometheus metrics, on a registry of the app's own (not prom-client's global one), so that several apps
 * in one process — tests, the benchmark — never share or clash over counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** What the replica metrics read when scraped; set by the runtime when replicas share through Redis. */
export interface ReplicaReadings {
  /** 'shared' when the source's budget goes through Redis right now, 'local' when it keeps to this replica's share. */
  budgetMode(sourceId: string): 'shared' | 'local'
  redisConnected(): boolean
  /** Calls made without Redis since boot: budget slots taken locally, calls made without shared coalescing. */
  fallbacks(): { budget: number, coalescing: number }
}

export type CallOutcome = 'ok' | 'throttled' | 'auth' | 'parameter' | 'server' | 'network' | 'timeout' | 'malformed' | 'cancelled' | 'error'

export class UsageMetrics {
  readonly registry = new Registry()
  readonly upstreamCalls = new Counter({
    name: 'usage_upstream_calls_total', help: 'Upstream calls made, by source and outcome.', labelNames: ['source', 'kind', 'outcome'] as const, registers: [this.registry]
  })
  readonly upstreamLatency = new Histogram({
    name: 'usage_upstream_call_duration_seconds', help: 'Upstream call latency, by source.', labelNames: ['source', 'kind'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry]
  })
  readonly throttles = new Counter({
    name: 'usage_upstream_throttled_total', help: 'Upstream calls refused for rate limiting.', labelNames: ['source'] as const, registers: [this.registry]
  })
  readonly retries = new Counter({
    name: 'usage_upstream_retries_total', help: 'Upstream calls retried after a retryable failure.', labelNames: ['source'] as const, registers: [this.registry]
  })
  readonly cacheLookups = new Counter({
    name: 'usage_cache_lookups_total', help: 'Upstream answer cache lookups, by result (hit, miss, coalesced).', labelNames: ['source', 'result'] as const, registers: [this.registry]
  })
  readonly inFlightRequests = new Gauge({
    name: 'usage_http_requests_in_flight', help: 'HTTP requests being served.', registers: [this.registry]
  })
  readonly requestLatency = new Histogram({
    name: 'usage_http_request_duration_seconds', help: 'HTTP request latency, by route and status code.', labelNames: ['route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry]
  })
  readonly budgetWait = new Histogram({
    name: 'usage_service_budget_wait_seconds', help: 'Time an upstream attempt waited for a slot of its account\'s budget for the API, by source.', labelNames: ['source'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry]
  })

  readonly replicaJoins = new Counter({
    name: 'usage_service_replica_coalesced_joins_total', help: 'Upstream calls this replica waited for while another replica made them (shared coalescing), by source.', labelNames: ['source'] as const, registers: [this.registry]
  })

  /** Sources whose budget mode is reported; every source of the runtime. */
  private readonly budgetSources: string[] = []
  private replicaReadings: ReplicaReadings | null = null
  private readonly reportedFallbacks = { budget: 0, coalescing: 0 }

  readonly budgetMode = new Gauge({
    name: 'usage_service_budget_mode', help: 'Budget of the source\'s account and API: 1 shared between replicas through Redis, 0 local to this process.', labelNames: ['source'] as const, registers: [this.registry],
    collect: () => {
      for (const source of this.budgetSources) this.budgetMode.set({ source }, this.replicaReadings?.budgetMode(source) === 'shared' ? 1 : 0)
    }
  })

  readonly redisConnected = new Gauge({
    name: 'usage_service_redis_connected', help: 'Whether Redis answers (1) or this replica runs on its own shares (0); absent when no Redis is configured.', registers: [this.registry],
    collect: () => { if (this.replicaReadings !== null) this.redisConnected.set(this.replicaReadings.redisConnected() ? 1 : 0) }
  })

  readonly redisFallbacks = new Counter({
    name: 'usage_service_redis_fallbacks_total', help: 'Upstream calls made without Redis while it was configured, by what fell back (budget, coalescing).', labelNames: ['component'] as const, registers: [this.registry],
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

  constructor (options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry })
  }

  /** Called once by the runtime: the sources whose budget mode is reported, and the replicas' state when Redis is configured. */
  watchBudgets (sourceIds: readonly string[], readings: ReplicaReadings | null): void {
    this.budgetSources.push(...sourceIds)
    this.replicaReadings = readings
  }
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
