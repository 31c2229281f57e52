/**
 * Pure: the fewest upstream calls a client could make for one source when the same query is repeated as the clock
 * advances (the sliding-window scenario), from the adapter's grid, span limit, lookback and settle delay and the
 * service's provisional TTL. Independent of the planner: it models what any client keeping settled buckets must do.
 *
 * Sources with native buckets (the floor the ledger is held to): every native bucket a query asks for is fetched
 * at least once; a bucket fetched after it settled (its end plus the settle delay at or before the fetch) is never
 * fetched again; one fetched while still provisional must be fetched again by a later query once the cached answer
 * is older than the provisional TTL (and again once it has settled, since the value kept must be the settled one).
 * At each query the buckets that need a call are covered by the fewest windows no longer than the span limit
 * (greedy from the earliest, which is optimal on a line), and a window may run over buckets that need none. Per
 * call variant: the total is that count times the variants.
 *
 * Sources without native buckets (Alibaba IMS: one total per call for any range) have nothing a ledger could keep
 * per bucket, so their floor is per requested window: each requested bucket (clipped to what has happened and to the
 * lookback, split by the span limit) is fetched once if it has settled when fetched, and again once per
 * provisional TTL while it has not; the bucket holding now is a new window (it ends at now) at every query.
 */
import { LOOKBACK_SAFETY_MS } from '../../src/usage/plan-source.js'
import { ceilToGrid, listGridBuckets, type Bucket, type NativeGrid, type TimeRange } from '../../src/time/index.js'

export interface SlidingStep {
  /** The clock at this query (whole seconds). */
  now: number
  /** The requested buckets of the query, widened to whole buckets in its zone. */
  buckets: readonly Bucket[]
}

export type FloorSource =
  | { kind: 'grid', grid: NativeGrid, longestWindowMs: number, lookbackMs: number, settleDelayMs: number, variants: number }
  | { kind: 'any', maxSpanMs: number, lookbackMs: number, settleDelayMs: number }

export interface SlidingFloor {
  /** Calls at each step. */
  perStep: number[]
  total: number
  /** Native buckets that had to be asked for, times the variants (null without native buckets). */
  buckets: number | null
}

export function slidingFloor (source: FloorSource, steps: readonly SlidingStep[], provisionalTtlMs: number): SlidingFloor {
  if (source.kind === 'any') {
    const perStep = anyFloor(source, steps, provisionalTtlMs)
    return { perStep, total: sum(perStep), buckets: null }
  }
  const perStep = gridFloor(source, steps, provisionalTtlMs)
  return { perStep: perStep.map(step => step.calls), total: sum(perStep.map(step => step.calls)), buckets: sum(perStep.map(step => step.buckets)) }
}

function sum (values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

function gridFloor (source: Extract<FloorSource, { kind: 'grid' }>, steps: readonly SlidingStep[], ttlMs: number): Array<{ calls: number, buckets: number }> {
  const kept = new Set<number>()
  const provisionalFetchedAt = new Map<number, number>()
  return steps.map(({ now, buckets }) => {
    if (buckets.length === 0) return { calls: 0, buckets: 0 }
    const oldest = ceilToGrid(now - source.lookbackMs + LOOKBACK_SAFETY_MS, source.grid)
    // The native bucket holding now has begun and is asked for; later ones have not happened.
    const from = Math.max(buckets[0]!.start, oldest)
    const to = Math.min(buckets[buckets.length - 1]!.end, ceilToGrid(now + 1, source.grid))
    if (to <= from) return { calls: 0, buckets: 0 }
    const needed = listGridBuckets({ from, to }, source.grid).filter(bucket => {
      if (kept.has(bucket.start)) return false
      const fetchedAt = provisionalFetchedAt.get(bucket.start)
      return fetchedAt === undefined || now - fetchedAt >= ttlMs || bucket.end + source.settleDelayMs <= now
    })
    for (const bucket of needed) {
      if (bucket.end + source.settleDelayMs <= now) kept.add(bucket.start)
      else provisionalFetchedAt.set(bucket.start, now)
    }
    return { calls: fewestWindows(needed, source.longestWindowMs) * source.variants, buckets: needed.length * source.variants }
  })
}

function anyFloor (source: Extract<FloorSource, { kind: 'any' }>, steps: readonly SlidingStep[], ttlMs: number): number[] {
  const kept = new Set<string>()
  const provisionalFetchedAt = new Map<string, number>()
  return steps.map(({ now, buckets }) => {
    const oldest = Math.ceil((now - source.lookbackMs + LOOKBACK_SAFETY_MS) / 1000) * 1000
    const happened = Math.floor(now / 1000) * 1000
    let calls = 0
    for (const bucket of buckets) {
      const from = Math.max(bucket.start, oldest)
      const to = Math.min(bucket.end, happened)
      for (let start = from; start < to; start += source.maxSpanMs) {
        const window: TimeRange = { from: start, to: Math.min(start + source.maxSpanMs, to) }
        const key = `${window.from}-${window.to}`
        if (kept.has(key)) continue
        const settled = window.to + source.settleDelayMs <= now
        const fetchedAt = provisionalFetchedAt.get(key)
        if (!settled && fetchedAt !== undefined && now - fetchedAt < ttlMs) continue
        calls++
        if (settled) kept.add(key)
        else provisionalFetchedAt.set(key, now)
      }
    }
    return calls
  })
}

/** Greedy from the earliest bucket: each window reaches as far as the span limit allows. */
function fewestWindows (buckets: readonly Bucket[], longestMs: number): number {
  let windows = 0
  let windowFrom = Number.NEGATIVE_INFINITY
  for (const bucket of [...buckets].sort((left, right) => left.start - right.start)) {
    if (bucket.end - windowFrom <= longestMs) continue
    windows++
    windowFrom = bucket.start
  }
  return windows
}
