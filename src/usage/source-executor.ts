/**
 * Runs one source's upstream calls: answers from the cache when it may, joins an identical call already in
 * flight, and otherwise calls within the account's budget (a rate gate at the source's QPS and a cap on calls
 * in flight, both shared by every request), retrying retryable failures with backoff, fresh-signed each time.
 */
import { setMaxListeners } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import pLimit, { type LimitFunction } from 'p-limit'
import type { Clock } from '../clock.js'
import type { UpstreamHttp } from '../http/upstream-http.js'
import { outcomeOf, type CallOutcome, type UsageMetrics } from '../observability/usage-metrics.js'
import type { CallCache } from './call-cache.js'
import { RateGate } from './rate-gate.js'
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, type RetryPolicy } from './retry-policy.js'
import type { FetchResult, SourceAdapter, SourceConfig, UpstreamCall } from './source-adapter.js'

export interface RuntimeSource {
  config: SourceConfig<unknown>
  adapter: SourceAdapter<unknown>
  executor: SourceExecutor
}

/** One line per upstream attempt, for the log: no parameters beyond the window, never a credential. */
export interface UpstreamCallLog {
  source: string
  kind: string
  window: { from: number, to: number }
  attempt: number
  outcome: CallOutcome
  providerCode: string | null
  requestId: string | null
  durationMs: number
}

export interface ExecutorServices {
  http: UpstreamHttp
  clock: Clock
  cache?: CallCache
  metrics?: UsageMetrics
  retry?: RetryPolicy
  /** How long answers whose buckets are all settled stay cached. */
  finalTtlMs?: number
  /** How long answers with a bucket still inside the data delay stay cached. */
  provisionalTtlMs?: number
  onCall?: (entry: UpstreamCallLog) => void
}

export interface ExecutedCall {
  result: FetchResult
  /** When the answer was fetched, if it came from the cache. */
  cachedAt: number | null
}

interface SharedCall {
  promise: Promise<FetchResult>
  controller: AbortController
  waiters: number
}

export class SourceExecutor {
  private readonly gate: RateGate
  private readonly limit: LimitFunction
  private readonly inFlight = new Map<string, SharedCall>()
  private readonly retry: RetryPolicy

  constructor (
    private readonly source: SourceConfig<unknown>,
    private readonly adapter: SourceAdapter<unknown>,
    private readonly services: ExecutorServices
  ) {
    this.gate = new RateGate(source.qps)
    this.limit = pLimit(source.concurrency)
    this.retry = services.retry ?? DEFAULT_RETRY_POLICY
  }

  /** Buckets ending after now minus this are still inside the provider's data delay. */
  get settleDelayMs (): number {
    return this.source.settleDelayMs ?? this.adapter.settleDelayMs
  }

  /** When the cached answer for this call was fetched, or null when none is cached (or it expired). */
  cachedAt (key: string): number | null {
    return this.services.cache?.get(key)?.storedAt ?? null
  }

  async run (call: UpstreamCall, signal: AbortSignal): Promise<ExecutedCall> {
    const cached = this.services.cache?.get(call.key)
    if (cached) {
      this.count('hit')
      return { result: cached.result, cachedAt: cached.storedAt }
    }
    let shared = this.inFlight.get(call.key)
    if (shared) {
      this.count('coalesced')
    } else {
      this.count('miss')
      const controller = new AbortController()
      setMaxListeners(0, controller.signal)
      const promise = this.callWithRetries(call, controller.signal)
      shared = { promise, controller, waiters: 0 }
      this.inFlight.set(call.key, shared)
      const entry = shared
      promise.then(() => undefined, () => undefined).finally(() => {
        if (this.inFlight.get(call.key) === entry) this.inFlight.delete(call.key)
      })
    }
    return { result: await this.join(shared, signal), cachedAt: null }
  }

  /**
   * Waits for a shared call on behalf of one request. The call itself is cancelled only when every request
   * waiting for it has given up, so one caller's short deadline never fails another's.
   */
  private async join (shared: SharedCall, signal: AbortSignal): Promise<FetchResult> {
    signal.throwIfAborted()
    shared.waiters++
    let onAbort: (() => void) | undefined
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        shared.waiters--
        if (shared.waiters === 0) shared.controller.abort(signal.reason)
        reject(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
    })
    try {
      return await Promise.race([shared.promise, aborted])
    } finally {
      if (!signal.aborted) shared.waiters--
      signal.removeEventListener('abort', onAbort!)
    }
  }

  private async callWithRetries (call: UpstreamCall, signal: AbortSignal): Promise<FetchResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.limit(() => this.attempt(call, signal, attempt))
        this.services.cache?.set(call.key, result, this.ttlFor(call))
        return result
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.retry.maxAttempts || signal.aborted) throw error
        this.services.metrics?.retries.inc({ source: this.source.id })
        try {
          await sleep(retryDelayMs(attempt, error, this.retry), undefined, { signal })
        } catch {
          // The deadline came during the backoff: the provider's own error says more than "aborted".
          throw error
        }
      }
    }
  }

  private async attempt (call: UpstreamCall, signal: AbortSignal, attempt: number): Promise<FetchResult> {
    const release = await this.gate.acquire(signal)
    const started = performance.now()
    let outcome: CallOutcome = 'ok'
    // What the log line says of the provider's answer: its request id, and its code when it failed.
    let answer: { providerCode?: string | null, requestId?: string | null } | null = null
    try {
      const result = await this.adapter.fetch(call, { source: this.source, http: this.services.http, clock: this.services.clock, signal })
      answer = { requestId: result.requestId }
      return result
    } catch (error) {
      answer = error as typeof answer
      outcome = outcomeOf(error)
      throw error
    } finally {
      release()
      this.record(call, attempt, outcome, answer, performance.now() - started)
    }
  }

  private record (call: UpstreamCall, attempt: number, outcome: CallOutcome, answer: { providerCode?: string | null, requestId?: string | null } | null, durationMs: number): void {
    const labels = { source: this.source.id, kind: this.source.kind }
    this.services.metrics?.upstreamCalls.inc({ ...labels, outcome })
    this.services.metrics?.upstreamLatency.observe(labels, durationMs / 1000)
    if (outcome === 'throttled') this.services.metrics?.throttles.inc({ source: this.source.id })
    this.services.onCall?.({
      ...labels,
      window: call.window,
      attempt,
      outcome,
      providerCode: answer?.providerCode ?? null,
      requestId: answer?.requestId ?? null,
      durationMs: Math.round(durationMs)
    })
  }

  /** An answer whose buckets have all settled will not change; one that has a bucket inside the data delay may. */
  private ttlFor (call: UpstreamCall): number {
    const settled = call.window.to <= this.services.clock.now() - this.settleDelayMs
    return settled ? this.services.finalTtlMs ?? 24 * 3_600_000 : this.services.provisionalTtlMs ?? 60_000
  }

  private count (result: 'hit' | 'miss' | 'coalesced'): void {
    this.services.metrics?.cacheLookups.inc({ source: this.source.id, result })
  }
}
