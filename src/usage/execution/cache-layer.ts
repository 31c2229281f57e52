/**
 * Answers from the cache when it holds the exact upstream request, and keeps fresh answers: final ones long,
 * those with a bucket still inside the provider's data delay briefly.
 */
import type { Clock } from '../../clock.js'
import type { CallCache } from '../call-cache.js'
import type { UpstreamCall } from '../source-adapter.js'
import type { CallLayer } from './call-layer.js'

export interface CacheLayerOptions {
  cache: CallCache
  clock: Clock
  /** Buckets ending after now minus this may still change. */
  settleDelayMs: number
  finalTtlMs?: number
  provisionalTtlMs?: number
  onHit?: () => void
}

export function cacheLayer (options: CacheLayerOptions): CallLayer {
  const { cache } = options
  return next => async (call, context) => {
    const cached = context.fresh === true ? undefined : cache.get(call.key)
    if (cached) {
      options.onHit?.()
      return { result: cached.result, cachedAt: cached.storedAt }
    }
    const executed = await next(call, context)
    // Every request waiting for one shared call gets the same result: the first to see it stores it, once.
    if (executed.cachedAt === null && cache.get(call.key)?.result !== executed.result) {
      cache.set(call.key, executed.result, ttlFor(call, options))
    }
    return executed
  }
}

/** An answer whose buckets have all settled will not change; one that has a bucket inside the data delay may. */
function ttlFor (call: UpstreamCall, options: CacheLayerOptions): number {
  const settled = call.window.to <= options.clock.now() - options.settleDelayMs
  return settled ? options.finalTtlMs ?? 24 * 3_600_000 : options.provisionalTtlMs ?? 60_000
}
