/**
 * The ledger as the running service holds it: opened at boot when it can be, reopened in the background when it
 * could not, and its health (for /readyz and warnings) learnt from every operation. An unreachable store is never
 * an outage: every operation then throws LedgerUnavailableError at once, and the query path answers from the
 * providers with a warning.
 */
import type { Clock } from '../clock.js'
import type { LedgerStore } from './ledger-store.js'
import type {
  CoveredBucket, LedgerRangeRead, SettledCallWrite, SettledWriteResult, SourceLedgerStatus, SyncState
} from './ledger-types.js'
import { LedgerSchemaTooNewError, LedgerUnavailableError } from './ledger-errors.js'
import { openLedgerStore } from './open-ledger.js'
import type { StoreLocation } from './store-url.js'
import { isUnavailable } from './unavailable.js'

/** How long after a failed open the next one may start: a query never waits for it, but each one costs a connect. */
const REOPEN_INTERVAL_MS = 15_000

export type LedgerHealthState = 'connected' | 'unavailable'

export interface LedgerHealth {
  state: LedgerHealthState
  /** Why it is unavailable (the store's location without any password, and the failure); null when connected. */
  reason: string | null
}

export interface LedgerConnectionOptions {
  location: StoreLocation
  schema?: string
  clock: Clock
  /** Where an outage and the recovery are logged, once each. */
  logger?: { warn: (object: object, message: string) => void, info: (object: object, message: string) => void }
}

export class LedgerConnection {
  private store: LedgerStore | null
  private health: LedgerHealth
  private opening: Promise<void> | null = null
  private lastOpenAt: number
  private closed = false

  private constructor (private readonly options: LedgerConnectionOptions | null, store: LedgerStore | null, reason: string | null) {
    this.store = store
    this.health = store === null ? { state: 'unavailable', reason } : { state: 'connected', reason: null }
    this.lastOpenAt = performance.now()
  }

  /**
   * Opens the store and migrates it. Unreachable: the connection still exists, unavailable, and retries in the
   * background. A store migrated by a newer service is refused (LedgerSchemaTooNewError): that is no outage to ride out.
   */
  static async open (options: LedgerConnectionOptions): Promise<LedgerConnection> {
    try {
      return new LedgerConnection(options, await openLedgerStore(options), null)
    } catch (error) {
      if (error instanceof LedgerSchemaTooNewError || !isUnavailable(error)) throw error
      options.logger?.warn({ ledger: options.location.description, reason: reasonOf(error) }, 'usage ledger unavailable at boot: answering from the providers until it can be opened')
      return new LedgerConnection(options, null, reasonOf(error))
    }
  }

  /** A store opened elsewhere (tests, the CLI); it is closed with this connection. */
  static of (store: LedgerStore): LedgerConnection {
    return new LedgerConnection(null, store, null)
  }

  get status (): LedgerHealth {
    return { ...this.health }
  }

  /** The store open now, for work that needs more than these reads and writes (the sync job); throws while unavailable. */
  current (): LedgerStore {
    if (this.store !== null) return this.store
    this.reopenInBackground()
    throw new LedgerUnavailableError(`usage ledger unavailable: ${this.health.reason ?? 'not open'}`)
  }

  async readRange (read: LedgerRangeRead): Promise<CoveredBucket[]> {
    return await this.use(async store => await store.readRange(read))
  }

  async writeSettled (write: SettledCallWrite): Promise<SettledWriteResult> {
    return await this.use(async store => await store.writeSettled(write))
  }

  async sourceStatus (sourceIds: readonly string[]): Promise<SourceLedgerStatus[]> {
    return await this.use(async store => await store.status(sourceIds))
  }

  async syncStates (): Promise<SyncState[]> {
    return await this.use(async store => await store.syncStates())
  }

  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.opening
    const store = this.store
    this.store = null
    await store?.close()
  }

  private async use<T> (work: (store: LedgerStore) => Promise<T>): Promise<T> {
    const store = this.store
    if (store === null) {
      this.reopenInBackground()
      throw new LedgerUnavailableError(`usage ledger unavailable: ${this.health.reason ?? 'not open'}`)
    }
    try {
      const value = await work(store)
      this.markConnected()
      return value
    } catch (error) {
      if (isUnavailable(error)) this.markUnavailable(error)
      throw error
    }
  }

  private markConnected (): void {
    if (this.health.state === 'connected') return
    this.health = { state: 'connected', reason: null }
    this.options?.logger?.info({ ledger: this.options.location.description }, 'usage ledger reachable again')
  }

  private markUnavailable (error: unknown): void {
    const wasConnected = this.health.state === 'connected'
    this.health = { state: 'unavailable', reason: reasonOf(error) }
    if (wasConnected) this.options?.logger?.warn({ ledger: this.options.location.description, reason: this.health.reason }, 'usage ledger unavailable: answering from the providers')
  }

  /** At most one open at a time, and at most one per REOPEN_INTERVAL_MS; nobody waits for it. */
  private reopenInBackground (): void {
    const options = this.options
    if (options === null || this.opening !== null || this.closed) return
    if (performance.now() - this.lastOpenAt < REOPEN_INTERVAL_MS) return
    this.lastOpenAt = performance.now()
    this.opening = openLedgerStore(options).then(async store => {
      if (this.closed) {
        await store.close()
        return
      }
      this.store = store
      this.markConnected()
    }, (error: unknown) => {
      this.health = { state: 'unavailable', reason: reasonOf(error) }
    }).finally(() => { this.opening = null })
  }
}

function reasonOf (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
