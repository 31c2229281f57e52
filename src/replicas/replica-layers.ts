/**
 * The shared coalescing and the shared cache as layers of a source's executor: a layer takes the handler below it
 * and returns one that adds its concern, each call carrying its upstream call key and a signal. The types here are
 * the structural minimum those layers need, so they fit any handler of that shape.
 *
 * Place them inside the in-process coalescing (in-process cache → in-process coalescing → shared cache lookup →
 * shared coalescing → shared cache → retry → budget): each replica then asks Redis once per distinct call,
 * however many of its requests want it (a cold 90-day query is about a hundred calls, and each of a burst's
 * requests looking them all up in Redis made Redis slow enough to count as gone). The shared budget is a budget like the in-process one:
 * `ReplicatedCallBudget.run` is what the budget layer calls.
 */
import type { Clock } from '../clock.js'
import type { FetchResult } from '../usage/source-adapter.js'
import type { SharedCallCache } from './shared-call-cache.js'
import type { SharedCoalescer } from './shared-coalescer.js'

interface LayerCall { key: string, window: { to: number } }
interface LayerContext { signal: AbortSignal, fresh?: boolean }
interface LayerResult { result: FetchResult, cachedAt: number | null }
type Handler<Call extends LayerCall, Context extends LayerContext> = (call: Call, context: Context) => Promise<LayerResult>

/** Identical calls in flight on several replicas, made once (see shared-coalescer.ts); `onJoin`: this replica waits for another's. */
export function sharedCoalescingLayer (coalescer: SharedCoalescer, onJoin?: () => void) {
  return <Call extends LayerCall, Context extends LayerContext>(next: Handler<Call, Context>): Handler<Call, Context> =>
    async (call, context) => {
      let cachedAt: number | null = null
      const result = await coalescer.joinOrLead(call.key, async signal => {
        const executed = await next(call, { ...context, signal })
        cachedAt = executed.cachedAt
        return executed.result
      }, context.signal, undefined, onJoin)
      return { result, cachedAt }
    }
}

export interface SharedCacheLayerOptions {
  cache: SharedCallCache
  clock: Clock
  /** Buckets ending after now minus this may still change: such answers are the provisional ones. */
  settleDelayMs: number
  /** How long a provisional answer is kept for every replica. */
  provisionalTtlMs?: number
  /**
   * How long a settled answer is kept for the others: until the requests that made the call have kept it in the
   * ledger, which they do when all their calls are over (the longest request deadline is 120 s).
   */
  settledTtlMs?: number
}

/**
 * Outside the coalescing: an answer another replica fetched a moment ago, before anything is waited for. Only
 * reads; what is kept is written under the lease (sharedCacheLayer).
 */
export function sharedCacheLookupLayer (options: Pick<SharedCacheLayerOptions, 'cache'>) {
  return <Call extends LayerCall, Context extends LayerContext>(next: Handler<Call, Context>): Handler<Call, Context> =>
    async (call, context) => await lookUp(options.cache, call, context) ?? await next(call, context)
}

/**
 * Inside the shared coalescing, so it runs only while this replica holds the call's lease: looks once more, and
 * keeps what it fetched before the lease is given up. A request on another replica that looked just before the
 * answer was kept and asks for the lease just after it was given up then leads, and finds the answer here rather
 * than making the call again. Provisional answers (the calls repeated most: dashboards refreshing today) are kept
 * a minute; settled ones only until the ledger holds them, for requests that read the ledger before that (each
 * replica keeps its own in its long-lived cache).
 */
export function sharedCacheLayer (options: SharedCacheLayerOptions) {
  const provisional = (call: LayerCall): boolean => call.window.to > options.clock.now() - options.settleDelayMs
  return <Call extends LayerCall, Context extends LayerContext>(next: Handler<Call, Context>): Handler<Call, Context> =>
    async (call, context) => {
      const cached = await lookUp(options.cache, call, context)
      if (cached !== undefined) return cached
      const executed = await next(call, context)
      const ttlMs = provisional(call) ? options.provisionalTtlMs ?? 60_000 : options.settledTtlMs ?? 120_000
      if (executed.cachedAt === null) await options.cache.set(call.key, executed.result, ttlMs)
      return executed
    }
}

/** A fresh call (a ledger recheck) needs the provider's answer as of now: never a kept one. */
async function lookUp (cache: SharedCallCache, call: LayerCall, context: LayerContext): Promise<LayerResult | undefined> {
  const cached = context.fresh === true ? undefined : await cache.get(call.key)
  return cached === undefined ? undefined : { result: cached.result, cachedAt: cached.storedAt }
}
