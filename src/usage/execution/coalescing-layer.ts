/**
 * Identical calls in flight at once are made once: later callers join the call already running. The shared
 * call is cancelled only when every request waiting for it has given up, so one caller's short deadline never
 * fails another's; and a retry asks the waiters (see CallWaiters) whether its wait is worth it for them.
 */
import { setMaxListeners } from 'node:events'
import { onAbort } from './abort-listeners.js'
import type { CallContext, CallLayer, CallWaiters, ExecutedCall } from './call-layer.js'

export interface CoalescingLayerOptions {
  /** Each call either starts a shared call ('miss') or joins one ('coalesced'). */
  onLookup?: (result: 'miss' | 'coalesced') => void
}

/** One request waiting for a shared call. */
interface Waiter {
  /** Monotonic (performance.now) instant of the request's deadline; Infinity when it has none. */
  deadlineAt: number
  /** Stops waiting with this failure, the call going on for the others. */
  dismiss: (reason: unknown) => void
}

/** Who waits for a call in flight, and what it is doing. */
class SharedWaiters implements CallWaiters {
  /** Aborted when every waiter has given up. */
  readonly controller = new AbortController()
  readonly waiters = new Set<Waiter>()
  /** While waiting before a retry: when the next attempt starts, and what a request that cannot wait gets. */
  backoff: { until: number, failure: unknown } | null = null

  constructor () {
    setMaxListeners(0, this.controller.signal)
  }

  get deadlineAt (): number {
    let latest = Number.NEGATIVE_INFINITY
    for (const waiter of this.waiters) latest = Math.max(latest, waiter.deadlineAt)
    return latest
  }

  dismissBefore (until: number, failure: unknown): boolean {
    for (const waiter of this.waiters) {
      if (waiter.deadlineAt < until) {
        this.waiters.delete(waiter)
        waiter.dismiss(failure)
      }
    }
    return this.waiters.size > 0
  }

  backingOff (backoff: { until: number, failure: unknown } | null): void {
    this.backoff = backoff
  }
}

interface SharedCall {
  promise: Promise<ExecutedCall>
  waiters: SharedWaiters
}

export function coalescingLayer (options: CoalescingLayerOptions = {}): CallLayer {
  return next => {
    const inFlight = new Map<string, SharedCall>()
    return async (call, context) => {
      let shared = inFlight.get(call.key)
      if (shared) {
        options.onLookup?.('coalesced')
      } else {
        options.onLookup?.('miss')
        const waiters = new SharedWaiters()
        const entry: SharedCall = { promise: next(call, { ...context, signal: waiters.controller.signal, waiters }), waiters }
        shared = entry
        inFlight.set(call.key, entry)
        entry.promise.then(() => undefined, () => undefined).finally(() => {
          if (inFlight.get(call.key) === entry) inFlight.delete(call.key)
        })
      }
      return await join(shared, context)
    }
  }
}

/** Waits for a shared call on behalf of one request, until it has the answer or gives up. */
async function join (shared: SharedCall, context: CallContext): Promise<ExecutedCall> {
  const { signal } = context
  const deadlineAt = context.waiters.deadlineAt
  signal.throwIfAborted()
  const state = shared.waiters
  // Joining a call that is waiting out a backoff longer than this request has left: its failure, now.
  if (state.backoff !== null && state.backoff.until > deadlineAt) throw state.backoff.failure
  let waiter: Waiter | undefined
  const dismissed = new Promise<never>((_resolve, reject) => { waiter = { deadlineAt, dismiss: reject } })
  state.waiters.add(waiter!)
  const stopListening = onAbort(signal, () => {
    state.waiters.delete(waiter!)
    if (state.waiters.size === 0) state.controller.abort(signal.reason)
    waiter!.dismiss(signal.reason)
  })
  try {
    return await Promise.race([shared.promise, dismissed])
  } finally {
    state.waiters.delete(waiter!)
    stopListening()
  }
}
