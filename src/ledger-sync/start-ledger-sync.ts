import type { Logger } from 'pino'
import type { Clock } from '../clock.js'
import type { ServiceConfig } from '../config/load-config.js'
import { LedgerSyncMetrics } from '../observability/ledger-sync-metrics.js'
import type { Runtime } from '../runtime.js'
import { LedgerSyncJob, type LedgerSyncOptions } from './sync-job.js'

export interface StartLedgerSyncOptions {
  runtime: Pick<Runtime, 'sources' | 'metrics'>
  store: LedgerSyncOptions['store']
  config: Pick<ServiceConfig, 'sync'>
  clock: Clock
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>
  redact?: (text: string) => string
}

/** The service's sync job over the runtime's sources and executors, its metrics on /metrics; null when USAGE_SYNC_INTERVAL=0. */
export function startLedgerSync (options: StartLedgerSyncOptions): LedgerSyncJob | null {
  if (options.config.sync.intervalMs === 0) {
    options.logger.info('ledger sync is off (USAGE_SYNC_INTERVAL=0): the ledger fills only from queries and `npm run ledger -- backfill`')
    return null
  }
  const job = new LedgerSyncJob({
    sources: options.runtime.sources,
    store: options.store,
    clock: options.clock,
    intervalMs: options.config.sync.intervalMs,
    recheckDays: options.config.sync.recheckDays,
    logger: options.logger,
    metrics: new LedgerSyncMetrics(options.runtime.metrics.registry, options.runtime.sources.map(source => source.config.id)),
    redact: options.redact
  })
  job.start()
  return job
}
