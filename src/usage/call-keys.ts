/**
 * Stable identities of upstream calls. Two calls with equal keys are one call to the core (coalesced, cached);
 * two fetches with equal variant keys answer the same native buckets the same way, so the ledger keeps them as one.
 */
import type { NativeGrid, TimeRange } from '../time/index.js'
import type { CallVariant, JsonValue } from './source-adapter.js'

/** The exact upstream request: source, window, grid and variant. */
export function callKey (sourceId: string, window: TimeRange, grid: NativeGrid | null, variant: CallVariant<JsonValue>): string {
  return JSON.stringify([sourceId, window.from, window.to, grid?.stepMs ?? null, canonical(variant.parameters), canonical(variant.dimensions)])
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
