/**
 * Which call variants the usage ledger keeps for a source (pure). A kind that declares `ledgerVariant` keeps that
 * one variant, and every query grouping and filtering only by its dimensions rolls it up; other queries, and kinds
 * that declare none, keep and read their own variants.
 */
import type { NativeGrid } from '../time/index.js'
import { IDENTITY_DIMENSIONS } from './select-sources.js'
import type { CallVariant, Dimension, PushdownQuery, SourceAdapter } from './source-adapter.js'

/**
 * The variants a background sync (or a backfill) should fill for a source on a grid, so that queries find them: the
 * kind's kept variant, or the variants of a query with no grouping and no filter.
 */
export function baseLedgerVariants (adapter: SourceAdapter<any>, settings: unknown, grid: NativeGrid): Array<CallVariant<any>> {
  const kept = adapter.ledgerVariant?.(grid, settings)
  return kept === undefined ? adapter.variants({ groupBy: [], filters: {}, grid }, settings) : [kept.variant]
}

/**
 * The kind's kept variant when every grouped and filtered dimension (beyond the source's identity) is one its records
 * carry: the query is then answered by rolling it up. Null when the query needs variants of its own.
 */
export function rolledUpVariants (
  adapter: SourceAdapter<any>, settings: unknown, grid: NativeGrid, query: Pick<PushdownQuery, 'groupBy' | 'filters'>
): Array<CallVariant<any>> | null {
  const kept = adapter.ledgerVariant?.(grid, settings)
  if (kept === undefined) return null
  const carried = new Set<Dimension>([...kept.dimensions, ...IDENTITY_DIMENSIONS])
  const asked = [...query.groupBy, ...Object.keys(query.filters) as Dimension[]]
  return asked.every(name => carried.has(name)) ? [kept.variant] : null
}
