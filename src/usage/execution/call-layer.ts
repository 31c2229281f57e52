/**
 * The executor is a stack of layers around the adapter, one concern each (cache, coalescing, retry, budget,
 * instrumentation): a layer takes the handler below it and returns a handler that adds its concern.
 */
import type { FetchResult, UpstreamCall } from '../source-adapter.js'

export interface ExecutedCall {
  result: FetchResult
  /** When the answer was fetched, if it came from the cache. */
  cachedAt: number | null
}

/**
 * Who is waiting for a call, as the layers below the coalescing see them: one caller, or every request that
 * joined a shared call. A retry asks them whether its wait is still worth it.
 */
export interface CallWaiters {
  /** Monotonic (performance.now) instant after which nobody waits any more; Infinity without a deadline. */
  readonly deadlineAt: number
  /** Fails with `failure`, now, every waiter whose deadline comes before `until`; false when nobody is left. */
  dismissBefore(until: number, failure: unknown): boolean
  /** While waiting until `until` before a retry: a request joining meanwhile that cannot wait gets `failure`. */
  backingOff(backoff: { until: number, failure: unknown } | null): void
}

export interface CallContext {
  /** Aborted when nobody wants the answer any more. */
  signal: AbortSignal
  waiters: CallWaiters
  /** Which attempt this is, the first being 1 (set by the retry layer). */
  attempt: number
  /**
   * The caller needs the provider's answer as it is now (the ledger sync rechecking settled buckets for
   * restatements): caches are not read, only refreshed with what comes back.
   */
  fresh?: boolean
}

export type CallHandler = (call: UpstreamCall, context: CallContext) => Promise<ExecutedCall>

export type CallLayer = (next: CallHandler) => CallHandler

/** One caller with its deadline: nothing shares its call, so dismissing it ends the call. */
export function soleWaiter (deadlineAt = Number.POSITIVE_INFINITY): CallWaiters {
  return {
    deadlineAt,
    dismissBefore: until => !(deadlineAt < until),
    backingOff: () => {}
  }
}

/** The context of a call made for one caller. */
export function callContext (signal: AbortSignal, deadlineAt = Number.POSITIVE_INFINITY, fresh = false): CallContext {
  return { signal, waiters: soleWaiter(deadlineAt), attempt: 1, ...fresh ? { fresh } : {} }
}
