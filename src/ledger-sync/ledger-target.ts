/**
 * What the ledger keeps of a source: the settled buckets of its base variant, the call with no grouping and no
 * filter on its finest native grid (every other query's answer is a roll-up of it, or is fetched as its own
 * variant). The variant key is the one the query path reads (`ledgerVariantKey`), so what sync and the CLI write
 * is found by queries.
 */
import type { NativeGrid } from '../time/index.js'
import { ledgerVariantKey } from '../usage/call-keys.js'
import type { CallVariant, JsonValue } from '../usage/source-adapter.js'
import type { RuntimeSource } from '../usage/source-executor.js'

export interface LedgerVariant {
  variant: CallVariant<JsonValue>
  /** The ledger's key for the variant on the grid. */
  key: string
}

/** A source as the ledger keeps it: its finest grid and the calls that, together, make its base variant. */
export interface LedgerTarget {
  source: RuntimeSource
  grid: NativeGrid
  /** Usually one; an adapter whose ungrouped answer takes several calls (one per required parameter value) lists each. */
  variants: LedgerVariant[]
}

/** null for a kind without native buckets: one total per call has no bucket the ledger could keep. */
export function ledgerTargetOf (source: RuntimeSource): LedgerTarget | null {
  const buckets = source.adapter.nativeBuckets
  if (buckets.kind !== 'grid') return null
  const grid = buckets.grids[buckets.grids.length - 1]
  if (grid === undefined) return null
  const variants = source.adapter.variants({ groupBy: [], filters: {}, grid }, source.config.settings) as Array<CallVariant<JsonValue>>
  return { source, grid, variants: variants.map(variant => ({ variant, key: ledgerVariantKey(grid, variant) })) }
}
