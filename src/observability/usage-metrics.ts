/**
 * Prometheus metrics, on a registry of the app's own (not prom-client's global one), so that several apps
 * in one process — tests, the benchmark — never share or clash over counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

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

  constructor (options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry })
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
