/**
 * Runs one source's upstream calls: answers from the cache when it may, joins an identical call already in
 * flight, and otherwise calls within the account's budget for the API (a rate gate at its QPS and a cap on
 * calls in flight, shared by every request and every source of that account and API), retrying retryable
 * failures with backoff, fresh-signed each time, as long as the retry can start before the caller's deadline.
 */
import { setMaxListeners } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Clock } from '../clock.js'
import type { UpstreamError } from '../errors.js'
import type { UpstreamHttp } from '../http/upstream-http.js'
import { outcomeOf, type CallOutcome, type UsageMetrics } from '../observability/usage-metrics.js'
import { CallBudget, type BudgetRegistry } from './call-budget.js'
import type { CallCache } from './call-cache.js'
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, retryPastDeadline, type RetryPolicy } from './retry-policy.js'
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
  /** The budgets per account and API; without them (tests that build one executor) a source has its own. */
  budgets?: BudgetRegistry
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

/** One request waiting for a shared call. */
interface Waiter {
  /** Monotonic (performance.now) instant of the request's deadline; Infinity when it has none. */
  deadlineAt: number
  /** Stops waiting with this failure, the call going on for the others. */
  dismiss: (reason: unknown) => void
}

/** Who waits for a call in flight, and what it is doing. */
interface CallState {
  /** Aborted when every waiter has given up. */
  controller: AbortController
  waiters: Set<Waiter>
  /** While waiting before a retry: when the next attempt starts, and what a request that cannot wait gets. */
  backoff: { until: number, failure: UpstreamError } | null
}

interface SharedCall {
  promise: Promise<FetchResult>
  state: CallState
}

export class SourceExecutor {
  private readonly budget: CallBudget
  private readonly inFlight = new Map<string, SharedCall>()
  private readonly retry: RetryPolicy

  constructor (
    private readonly source: SourceConfig<unknown>,
    private readonly adapter: SourceAdapter<unknown>,
    private readonly services: ExecutorServices
  ) {
    this.budget = services.budgets?.budgetFor(source) ?? new CallBudget(source.qps, source.concurrency)
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

  /**
   * `deadlineAt` is the monotonic (performance.now) instant at which `signal` aborts, when it is a deadline: a
   * retry that could only start after it is not waited for.
   */
  async run (call: UpstreamCall, signal: AbortSignal, deadlineAt = Number.POSITIVE_INFINITY): Promise<ExecutedCall> {
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
      const state: CallState = { controller, waiters: new Set(), backoff: null }
      const entry: SharedCall = { promise: this.callWithRetries(call, state), state }
      shared = entry
      this.inFlight.set(call.key, entry)
      entry.promise.then(() => undefined, () => undefined).finally(() => {
        if (this.inFlight.get(call.key) === entry) this.inFlight.delete(call.key)
      })
    }
    return { result: await this.join(shared, signal, deadlineAt), cachedAt: null }
  }

  /**
   * Waits for a shared call on behalf of one request. The call itself is cancelled only when every request
   * waiting for it has given up, so one caller's short deadline never fails another's.
   */
  private async join (shared: SharedCall, signal: AbortSignal, deadlineAt: number): Promise<FetchResult> {
    signal.throwIfAborted()
    const { state } = shared
    // Joining a call that is waiting out a backoff longer than this request has left: its failure, now.
    if (state.backoff !== null && state.backoff.until > deadlineAt) throw state.backoff.failure
    let waiter: Waiter | undefined
    const dismissed = new Promise<never>((_resolve, reject) => { waiter = { deadlineAt, dismiss: reject } })
    state.waiters.add(waiter!)
    const onAbort = (): void => {
      state.waiters.delete(waiter!)
      if (state.waiters.size === 0) state.controller.abort(signal.reason)
      waiter!.dismiss(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      return await Promise.race([shared.promise, dismissed])
    } finally {
      state.waiters.delete(waiter!)
      signal.removeEventListener('abort', onAbort)
    }
  }

  private async callWithRetries (call: UpstreamCall, state: CallState): Promise<FetchResult> {
    const signal = state.controller.signal
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.budget.run(signal, async () => await this.attempt(call, signal, attempt))
        this.services.cache?.set(call.key, result, this.ttlFor(call))
        return result
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.retry.maxAttempts || signal.aborted) throw error
        const delayMs = retryDelayMs(attempt, error, this.retry)
        const until = performance.now() + delayMs
        // Each request waiting for this call gets the provider's failure now if it could not see the retry's
        // start (an x-acs-retry-after hint of a minute against a 2 s deadline), instead of a deadline error
        // later that has lost the provider's code. The call goes on while one request can still use it: with
        // requests of different deadlines, the latest decides, and the others are not held to it.
        const failure = retryPastDeadline(error, delayMs)
        for (const waiter of state.waiters) {
          if (waiter.deadlineAt < until) {
            state.waiters.delete(waiter)
            waiter.dismiss(failure)
          }
        }
        if (state.waiters.size === 0) throw failure
        this.services.metrics?.retries.inc({ source: this.source.id })
        state.backoff = { until, failure }
        try {
          await sleep(delayMs, undefined, { signal })
        } catch {
          // The deadline came during the backoff: the provider's own error says more than "aborted".
          throw error
        } finally {
          state.backoff = null
        }
      }
    }
  }

  private async attempt (call: UpstreamCall, signal: AbortSignal, attempt: number): Promise<FetchResult> {
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
