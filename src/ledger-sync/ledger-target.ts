/**
 * What the ledger keeps of a source: the settled buckets of its base variant (the variant the kind declares it keeps,
 * else the call with no grouping and no filter) on its coarsest native grid. That is the grid hourly, daily and
 * monthly queries read (the planner picks the coarsest grid the buckets align to), so what sync and the CLI write is
 * what dashboards and billing runs find; a query on a finer grid, or needing a variant of its own, fetches it and
 * keeps it as it goes. The variant key is the one the query path reads (`ledgerVariantKey`).
 */
import type { NativeGrid } from '../time/index.js'
import { ledgerVariantKey } from '../usage/call-keys.js'
import { baseLedgerVariants } from '../usage/kept-variants.js'
import type { CallVariant, JsonValue } from '../usage/source-adapter.js'
import type { RuntimeSource } from '../usage/source-executor.js'

export interface LedgerVariant {
  variant: CallVariant<JsonValue>
  /** The ledger's key for the variant on the grid. */
  key: string
}

/** A source as the ledger keeps it: its coarsest grid and the calls that, together, make its base variant. */
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
  const grid = buckets.grids[0]
  if (grid === undefined) return null
  const variants = baseLedgerVariants(source.adapter, source.config.settings, grid) as Array<CallVariant<JsonValue>>
  return { source, grid, variants: variants.map(variant => ({ variant, key: ledgerVariantKey(grid, variant) })) }
}
