import type { Clock } from '../clock.js'
import type { LedgerDriver } from './ledger-driver.js'
import { LedgerStore } from './ledger-store.js'
import { migrateLedger } from './migrate.js'
import { createPgliteDriver } from './pglite-driver.js'
import { createPostgresDriver } from './postgres-driver.js'
import { quoteSchema } from './ledger-sql.js'
import type { StoreLocation } from './store-url.js'

/** The schema the ledger's tables live in, so they never mix with anything else in a shared database. */
export const DEFAULT_LEDGER_SCHEMA = 'usage_ledger'

export interface OpenLedgerOptions {
  /** From parseStoreUrl(process.env.USAGE_STORE_URL). */
  location: StoreLocation
  schema?: string
  clock?: Clock
  /** PostgreSQL only: connections in this process's pool. */
  maxConnections?: number
  /** PostgreSQL only: how long to wait for a connection before LedgerUnavailableError. */
  connectTimeoutMs?: number
}

/** Opens the store and migrates it. Throws LedgerUnavailableError (unreachable) or LedgerSchemaTooNewError. */
export async function openLedgerStore (options: OpenLedgerOptions): Promise<LedgerStore> {
  const schema = options.schema ?? DEFAULT_LEDGER_SCHEMA
  quoteSchema(schema)
  const driver = await openDriver(options)
  try {
    await migrateLedger(driver, schema)
  } catch (error) {
    await driver.close().catch(() => {})
    throw error
  }
  return new LedgerStore({ driver, schema, clock: options.clock })
}

async function openDriver (options: OpenLedgerOptions): Promise<LedgerDriver> {
  const location = options.location
  switch (location.kind) {
    case 'postgres':
      return createPostgresDriver({
        connectionString: location.connectionString,
        description: location.description,
        maxConnections: options.maxConnections,
        connectTimeoutMs: options.connectTimeoutMs
      })
    case 'pglite':
      return await createPgliteDriver({ dataDir: location.dataDir, description: location.description })
    case 'memory':
      return await createPgliteDriver({ dataDir: null, description: location.description })
  }
}
