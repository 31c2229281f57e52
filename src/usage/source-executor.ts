/**
 * Runs one source's upstream calls through a stack of layers (src/usage/execution/), outermost first: answers
 * from the cache when it may, joins an identical call already in flight, retries retryable failures with
 * backoff as long as a waiter can still use the retry, calls within the account's budget for the API, and
 * counts and logs every attempt made through the adapter.
 */
import type { Clock } from '../clock.js'
import type { UpstreamHttp } from '../http/upstream-http.js'
import type { CacheLookupResult, UsageMetrics } from '../observability/usage-metrics.js'
import { sharedCacheLayer, sharedCacheLookupLayer, sharedCoalescingLayer } from '../replicas/replica-layers.js'
import type { SharedCallCache } from '../replicas/shared-call-cache.js'
import type { SharedCoalescer } from '../replicas/shared-coalescer.js'
import { CallBudget, type Budget, type BudgetRegistry } from './call-budget.js'
import type { CallCache } from './call-cache.js'
import { adapterHandler } from './execution/adapter-handler.js'
import { budgetLayer } from './execution/budget-layer.js'
import { cacheLayer } from './execution/cache-layer.js'
import { callContext, type CallHandler, type CallLayer, type ExecutedCall } from './execution/call-layer.js'
import { coalescingLayer } from './execution/coalescing-layer.js'
import { composeLayers } from './execution/compose-layers.js'
import { instrumentationLayer, type UpstreamCallLog } from './execution/instrumentation-layer.js'
import { retryLayer } from './execution/retry-layer.js'
import type { RetryPolicy } from './retry-policy.js'
import type { SourceAdapter, SourceConfig, UpstreamCall } from './source-adapter.js'

export type { ExecutedCall, UpstreamCallLog }

export interface RuntimeSource {
  config: SourceConfig<unknown>
  adapter: SourceAdapter<unknown>
  executor: SourceExecutor
}

export interface ExecutorServices {
  http: UpstreamHttp
  clock: Clock
  cache?: CallCache
  metrics?: UsageMetrics
  /** The budgets per account and API; without them a source has its own; false: none at all. */
  budgets?: BudgetRegistry<Budget> | false
  /** With Redis: identical calls coalesced and provisional answers cached across replicas. */
  replicas?: { coalescer: SharedCoalescer, cache: SharedCallCache }
  retry?: RetryPolicy
  /** How long answers whose buckets are all settled stay cached. */
  finalTtlMs?: number
  /** How long answers with a bucket still inside the data delay stay cached. */
  provisionalTtlMs?: number
  onCall?: (entry: UpstreamCallLog) => void
}

/** The one way to make an executor; the runtime (src/runtime.ts) makes them for every source. */
export function createSourceExecutor (source: SourceConfig<unknown>, adapter: SourceAdapter<unknown>, services: ExecutorServices): SourceExecutor {
  return new SourceExecutor(source, adapter, services)
}

export class SourceExecutor {
  private readonly handler: CallHandler

  constructor (
    private readonly source: SourceConfig<unknown>,
    private readonly adapter: SourceAdapter<unknown>,
    private readonly services: ExecutorServices
  ) {
    // Every series of this source exists from now on, at 0 until something happens.
    services.metrics?.addSource(source)
    this.handler = composeLayers(executorLayers(source, services, this.settleDelayMs), adapterHandler(source, adapter, services))
  }

  /** Buckets ending after now minus this are still inside the provider's data delay. */
  get settleDelayMs (): number {
    return this.source.settleDelayMs ?? this.adapter.settleDelayMs
  }

  /** When the cached answer for this call was fetched, or null when none is cached (or it expired). */
  cachedAt (key: string): number | null {
    return this.services.cache?.get(key)?.storedAt ?? null
  }

  /**
   * `deadlineAt` is the monotonic (performance.now) instant at which `signal` aborts, when it is a deadline: a
   * retry that could only start after it is not waited for. `fresh`: the provider's answer as of now, never a
   * cached one (see CallContext.fresh).
   */
  async run (call: UpstreamCall, signal: AbortSignal, deadlineAt = Number.POSITIVE_INFINITY, options: { fresh?: boolean } = {}): Promise<ExecutedCall> {
    return await this.handler(call, callContext(signal, deadlineAt, options.fresh === true))
  }
}

/**
 * The executor's layers, outermost first. The order is the semantics: the cache answers before anything is
 * shared; a shared call retries once for all its waiters; each attempt waits for the budget; only attempts that
 * got their turn are timed and logged. With Redis, the shared cache and the shared coalescing sit inside their
 * in-process counterparts and the budget is shared between replicas (src/replicas/). Adding a concern is one line
 * here, e.g. a ledger of calls made right above `budgetLayer`.
 */
function executorLayers (source: SourceConfig<unknown>, services: ExecutorServices, settleDelayMs: number): CallLayer[] {
  const { cache, metrics, replicas } = services
  const labels = { source: source.id, kind: source.kind }
  const countLookup = (result: CacheLookupResult): void => { metrics?.cacheLookups.inc({ ...labels, result }) }
  return [
    ...cache
      ? [cacheLayer({ cache, clock: services.clock, settleDelayMs, finalTtlMs: services.finalTtlMs, provisionalTtlMs: services.provisionalTtlMs, onHit: () => countLookup('hit') })]
      : [],
    coalescingLayer({ onLookup: countLookup }),
    // Inside the in-process coalescing, so each replica looks and waits in Redis once per call, whatever its requests.
    ...replicas ? [sharedCacheLookupLayer({ cache: replicas.cache })] : [],
    ...replicas ? [sharedCoalescingLayer(replicas.coalescer, () => metrics?.replicaJoins.inc({ source: source.id }))] : [],
    // Under the lease: the answer is kept for late requests before the lease is given up (replica-layers.ts).
    ...replicas ? [sharedCacheLayer({ cache: replicas.cache, clock: services.clock, settleDelayMs, provisionalTtlMs: services.provisionalTtlMs })] : [],
    retryLayer({ policy: services.retry, onRetry: () => metrics?.retries.inc(labels) }),
    ...services.budgets === false
      ? []
      : [budgetLayer(services.budgets?.budgetFor(source) ?? new CallBudget(source.qps, source.concurrency), seconds => metrics?.budgetWait.observe({ source: source.id }, seconds))],
    instrumentationLayer({ source, metrics: services.metrics, onCall: services.onCall })
  ]
}
