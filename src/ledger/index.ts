/**
 * The usage ledger: settled native buckets kept durably, per source and call variant, with every revision.
 *
 * Open once at boot (migrations run there):
 *
 *   const location = parseStoreUrl(process.env.USAGE_STORE_URL)   // ConfigError naming USAGE_STORE_URL
 *   const ledger = await openLedgerStore({ location, clock })      // LedgerUnavailableError, LedgerSchemaTooNewError
 *
 * Answering a query, per (source, variant, native buckets needed):
 *
 *   const stored = await ledger.readRange({ sourceId, variant, from, to, asOf })   // cached while unchanged
 *   const { covered, missing } = splitByCoverage(neededBuckets, stored)
 *   // covered: answer from stored.records (no record = reported zero); restated → RESTATED warning.
 *   // missing: fetch from the provider (or out_of_range past its lookback). With asOf: never fetch settled data.
 *
 * After a provider call, store its settled buckets (one transaction for the call):
 *
 *   await ledger.writeSettled({ sourceId, variant, fetchedAt, requestId,
 *     buckets: settledBuckets(settledBoundsOfTheCall, result.records, unitOf) })
 *   // → per bucket 'new' | 'unchanged' | 'restated'; identical rewrites store nothing.
 *
 * `variant` is opaque here: the caller's stable key of grid + pushed-down parameters (the call key
 * without its window). A variant's buckets must keep their bounds: a start stored with another end is refused.
 *
 * Background sync: `withExclusiveLock('sync', …)` (null: another replica is syncing), `recordSyncAttempt`, `recordSyncSuccess`,
 * `recordSyncFailure`, `syncStates`; `status()` and `verify()` for the CLI and /readyz.
 *
 * Any call may throw LedgerUnavailableError when the store is unreachable: answer from the providers with
 * a LEDGER_UNAVAILABLE warning. Stored values past 2^53 - 1 are refused on read (LedgerValueError), never
 * rounded. Details: docs/ledger.md.
 */
export { DEFAULT_STORE_URL, STORE_URL_VARIABLE, parseStoreUrl, type StoreLocation } from './store-url.js'
export { DEFAULT_LEDGER_SCHEMA, openLedgerStore, type OpenLedgerOptions } from './open-ledger.js'
export { LedgerStore } from './ledger-store.js'
export { splitByCoverage, type BucketBounds } from './coverage.js'
export { settledBuckets } from './settled-buckets.js'
export { LATEST_SCHEMA_VERSION } from './ledger-sql.js'
export { LedgerError, LedgerSchemaTooNewError, LedgerUnavailableError, LedgerValueError, LedgerWriteError } from './ledger-errors.js'
export { isUnavailable as isLedgerUnavailable } from './unavailable.js'
export type { LedgerDriver, LedgerQueryable } from './ledger-driver.js'
export type * from './ledger-types.js'
