/**
 * The ledger's background sync: every interval, under the store's exclusive 'sync' lock (a PostgreSQL session
 * advisory lock: with several replicas one syncs, the others skip the run), each source's base variant is
 * brought up to date (source-sync.ts). Each source's outcome is recorded in the store's sync state, counted in
 * the metrics and logged; a restatement is logged with the buckets that changed. Nothing here is on the request
 * path: readiness never waits for it, and its upstream calls yield to live ones (sync-slots.ts).
 */
import type { Logger } from 'pino'
import type { Clock } from '../clock.js'
import type { LedgerStore } from '../ledger/index.js'
import type { LedgerSyncMetrics, SyncRunResult } from '../observability/ledger-sync-metrics.js'
import { capProviderText } from '../security/provider-text.js'
import { DAY_MS } from '../time/durations.js'
import type { RuntimeSource } from '../usage/source-executor.js'
import { ledgerTargetOf, type LedgerTarget } from './ledger-target.js'
import { syncSource, type SourceSyncReport } from './source-sync.js'
import type { StoredWindow } from './store-window.js'
import { SyncSlots } from './sync-slots.js'

/** The lock every replica's sync asks for. */
export const SYNC_LOCK_NAME = 'sync'

export interface LedgerSyncOptions {
  sources: readonly RuntimeSource[]
  /**
   * The store, or the service's connection to it: then each run takes the store open at that moment, so a ledger
   * that was unreachable at boot is synced once it comes back (an unreachable one fails the run, the next retries).
   */
  store: LedgerStore | { current: () => LedgerStore }
  clock: Clock
  /** Between the end of one run and the start of the next. */
  intervalMs: number
  recheckDays: number
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>
  metrics?: LedgerSyncMetrics
  /** Applied to an error message before it is stored in the sync state (the service's secret redactor). */
  redact?: (text: string) => string
}

export interface SyncRunReport {
  result: Exclude<SyncRunResult, 'locked_elsewhere'>
  sources: Array<SourceSyncReport | { sourceId: string, error: string }>
}

export class LedgerSyncJob {
  private readonly targets: LedgerTarget[]
  private readonly slots = new SyncSlots()
  private readonly stopping = new AbortController()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> | null = null

  constructor (private readonly options: LedgerSyncOptions) {
    // Kinds without native buckets answer one total per call: nothing to keep per bucket.
    this.targets = options.sources.flatMap(source => ledgerTargetOf(source) ?? [])
  }

  /** Runs now, then `intervalMs` after each run ends, until stop(). Never throws: failures are logged and recorded. */
  start (): void {
    this.schedule(0)
  }

  /** Cancels upstream calls in flight, and waits for the run to end (nothing half-written: each window is one transaction). */
  async stop (): Promise<void> {
    this.stopping.abort(new Error('ledger sync stopped'))
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    await this.running?.catch(() => {})
  }

  /** One run: 'locked_elsewhere' when another replica holds the sync lock. */
  async runOnce (): Promise<SyncRunReport | 'locked_elsewhere'> {
    const store = storeOf(this.options.store)
    const held = await store.withExclusiveLock(SYNC_LOCK_NAME, async () => await this.syncAll(store))
    if (held === null) {
      this.options.metrics?.runs.inc({ result: 'locked_elsewhere' })
      this.options.logger.debug('ledger sync skipped: another replica is syncing')
      return 'locked_elsewhere'
    }
    this.options.metrics?.runs.inc({ result: held.value.result })
    return held.value
  }

  private schedule (delayMs: number): void {
    if (this.stopping.signal.aborted) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.running = this.runOnce()
        .catch(error => {
          // The lock itself could not be asked for (store unreachable): the next run tries again.
          this.options.metrics?.runs.inc({ result: 'failed' })
          this.options.logger.warn({ err: error }, 'ledger sync could not run')
        })
        .finally(() => this.schedule(this.options.intervalMs))
    }, delayMs)
    // A pending sync never keeps the process alive.
    this.timer.unref()
  }

  private async syncAll (store: LedgerStore): Promise<SyncRunReport> {
    // Sources of different accounts and APIs sync side by side; sync-slots keeps each budget to one call of ours.
    const sources = await Promise.all(this.targets.map(async target => await this.syncOne(store, target)))
    return { result: sources.some(source => 'error' in source) ? 'failed' : 'completed', sources }
  }

  private async syncOne (store: LedgerStore, target: LedgerTarget): Promise<SourceSyncReport | { sourceId: string, error: string }> {
    const { clock, logger, metrics } = this.options
    const sourceId = target.source.config.id
    const context = { store, clock, slots: this.slots, signal: this.stopping.signal }
    try {
      await store.recordSyncAttempt(sourceId, clock.now())
      const report = await syncSource(context, target, {
        recheckMs: this.options.recheckDays * DAY_MS,
        onWindow: stored => this.onWindow(sourceId, stored)
      })
      const at = clock.now()
      await store.recordSyncSuccess(sourceId, at)
      metrics?.lastSuccess.set({ source: sourceId }, at / 1000)
      if (report.added > 0 || report.restated > 0) logger.info({ ledgerSync: report }, 'ledger sync wrote settled buckets')
      return report
    } catch (error) {
      const message = this.describe(error)
      // Stopped by shutdown: not the source's failure, and the next start continues from here.
      if (this.stopping.signal.aborted) return { sourceId, error: message }
      metrics?.errors.inc({ source: sourceId })
      logger.warn({ ledgerSync: { source: sourceId, error: message } }, 'ledger sync of a source failed; the next run continues from where it stopped')
      // Recorded where it can be: with the store unreachable, the log line above is all there is.
      await store.recordSyncFailure(sourceId, message, clock.now()).catch(() => {})
      return { sourceId, error: message }
    }
  }

  private onWindow (sourceId: string, stored: StoredWindow): void {
    const { written } = stored
    this.options.metrics?.buckets.inc({ source: sourceId, outcome: 'new' }, written.added.length)
    this.options.metrics?.buckets.inc({ source: sourceId, outcome: 'restated' }, written.restated.length)
    if (written.restated.length === 0) return
    this.options.logger.warn({
      ledgerRestatement: {
        source: sourceId,
        variant: stored.variant,
        providerRequestId: stored.requestId,
        buckets: written.buckets.filter(bucket => bucket.outcome === 'restated')
          .map(bucket => ({ start: new Date(bucket.start).toISOString(), end: new Date(bucket.end).toISOString(), revision: bucket.revision }))
      }
    }, 'provider restated settled usage: the ledger kept the old value and wrote a new revision')
  }

  private describe (error: unknown): string {
    const text = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error)
    const capped = capProviderText(text)
    return this.options.redact?.(capped) ?? capped
  }
}

function storeOf (store: LedgerSyncOptions['store']): LedgerStore {
  return 'current' in store ? store.current() : store
}
