/**
 * The shared coalescing and the shared provisional cache as layers of a source's executor: a layer takes the
 * handler below it and returns one that adds its concern, each call carrying its upstream call key and a
 * signal. The types here are the structural minimum those layers need, so they fit any handler of that shape.
 *
 * Place them inside their in-process counterparts (in-process cache → shared cache → in-process coalescing →
 * shared coalescing → retry → budget): each replica then asks Redis once per distinct call, however many of
 * its requests want it. The shared budget is a budget like the in-process one: `ReplicatedCallBudget.run` is
 * what the budget layer calls.
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
  provisionalTtlMs?: number
}

/**
 * Answers another replica fetched a moment ago, for calls whose buckets have not all settled: those are the
 * calls repeated most (dashboards refreshing today) and the ones each replica would otherwise fetch again.
 * Settled answers stay in each replica's own long-lived cache.
 */
export function sharedCacheLayer (options: SharedCacheLayerOptions) {
  const provisional = (call: LayerCall): boolean => call.window.to > options.clock.now() - options.settleDelayMs
  return <Call extends LayerCall, Context extends LayerContext>(next: Handler<Call, Context>): Handler<Call, Context> =>
    async (call, context) => {
      if (!provisional(call)) return await next(call, context)
      const cached = context.fresh === true ? undefined : await options.cache.get(call.key)
      if (cached !== undefined) return { result: cached.result, cachedAt: cached.storedAt }
      const executed = await next(call, context)
      if (executed.cachedAt === null) await options.cache.set(call.key, executed.result, options.provisionalTtlMs ?? 60_000)
      return executed
    }
}
