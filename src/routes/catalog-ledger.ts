/** The catalog's ledger part: per source what the usage ledger holds (status and sync state reads), at each request. */
import type { LedgerConnection } from '../ledger/ledger-connection.js'
import type { CatalogResponse } from '../schemas/catalog-schema.js'
import { formatInstant } from '../time/index.js'

export async function withLedgerHoldings (catalog: CatalogResponse, ledger: LedgerConnection | null): Promise<CatalogResponse> {
  if (ledger === null) return catalog
  try {
    const [held, syncs] = await Promise.all([ledger.sourceStatus(catalog.sources.map(source => source.id)), ledger.syncStates()])
    return {
      ...catalog,
      sources: catalog.sources.map(source => {
        const status = held.find(entry => entry.sourceId === source.id)
        const sync = syncs.find(entry => entry.sourceId === source.id)
        return {
          ...source,
          ledger: {
            oldestSettledBucket: instant(status?.oldestBucketStart),
            newestSettledBucket: instant(status?.newestBucketStart),
            buckets: status?.buckets ?? 0,
            restatedBuckets: status?.restatedBuckets ?? 0,
            lastSyncAt: instant(sync?.lastSuccessAt),
            lastSyncError: sync?.lastError ?? null,
            lastSyncErrorAt: instant(sync?.lastErrorAt)
          }
        }
      }),
      ledger: { status: 'connected', reason: null }
    }
  } catch (error) {
    // The catalog never fails for the ledger's sake: it says the ledger cannot be read and why.
    return { ...catalog, ledger: { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) } }
  }
}

function instant (value: number | null | undefined): string | null {
  return value === null || value === undefined ? null : formatInstant(value, 'UTC')
}
