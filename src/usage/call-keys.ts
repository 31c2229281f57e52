/**
 * Stable identities of upstream calls. Two calls with equal keys are one call to the core (coalesced, cached);
 * two fetches with equal variant keys answer the same native buckets the same way, so the ledger keeps them as one.
 */
import type { NativeGrid, TimeRange } from '../time/index.js'
import type { CallVariant, JsonValue } from './source-adapter.js'

/**
 * The exact upstream request: source, window, grid and variant. `soFarUntil`: the window is a bucket's usage so far,
 * cut at the instant it was planned, of a bucket (or part) that ends then; see soFar below.
 */
export function callKey (sourceId: string, window: TimeRange, grid: NativeGrid | null, variant: CallVariant<JsonValue>, soFarUntil?: number): string {
  const end = soFarUntil === undefined ? window.to : soFar(soFarUntil)
  return JSON.stringify([sourceId, window.from, end, grid?.stepMs ?? null, canonical(variant.parameters), canonical(variant.dimensions)])
}

/**
 * The end of a "so far" window in its key. A kind without native buckets is asked for the bucket holding now only
 * up to the planning instant, so the window's end moves every second; keyed by it, identical requests planned a
 * second apart would be different calls, never coalesced or cached. Keyed by where the bucket ends instead, one
 * answer serves them all, as the whole current bucket of a kind with native buckets does: like that one, it is
 * provisional and counts what the provider had when it was asked. A different value than a number, so it never
 * equals the key of a window that really ends there (the whole bucket, once it is over).
 */
function soFar (bucketEnd: number): [string, number] {
  return ['so far', bucketEnd]
}

/**
 * A call variant on a grid, without its window: what the ledger files settled buckets under, so that every window of
 * the same variant (a query's, the sync job's, the CLI's) reads and writes the same coverage.
 */
export function ledgerVariantKey (grid: NativeGrid | null, variant: CallVariant<JsonValue>): string {
  return JSON.stringify([grid === null ? null : [grid.stepMs, grid.offsetMs], canonical(variant.parameters), canonical(variant.dimensions)])
}

/** The same JSON whatever order an object's keys were written in (canonical JSON: keys sorted, arrays kept in order). */
function canonical (value: JsonValue | undefined): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(item => canonical(item))
  const object = value as { readonly [name: string]: JsonValue | undefined }
  const sorted: Record<string, unknown> = {}
  for (const name of Object.keys(object).sort()) sorted[name] = canonical(object[name])
  return sorted
}
