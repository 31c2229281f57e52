/**
 * Metrics of the ledger's background sync, on the app's registry (UsageMetrics.registry) beside the others,
 * named as they are (promtool-clean: `usage_service_` prefix, counters in `_total`, seconds last). Every
 * per-source series exists from startup at 0.
 */
import { Counter, Gauge, type Registry } from 'prom-client'

export const SYNC_RUN_RESULTS = ['completed', 'failed', 'locked_elsewhere'] as const
export type SyncRunResult = typeof SYNC_RUN_RESULTS[number]

export const SYNC_BUCKET_OUTCOMES = ['new', 'restated'] as const

export class LedgerSyncMetrics {
  readonly runs: Counter<'result'>
  readonly buckets: Counter<'source' | 'outcome'>
  readonly errors: Counter<'source'>
  readonly lastSuccess: Gauge<'source'>

  constructor (registry: Registry, sourceIds: readonly string[]) {
    this.runs = new Counter({
      name: 'usage_service_ledger_sync_runs_total',
      help: 'Ledger sync runs, by result: completed (every source synced), failed (some source failed), locked_elsewhere (another replica was syncing).',
      labelNames: ['result'] as const,
      registers: [registry]
    })
    this.buckets = new Counter({
      name: 'usage_service_ledger_sync_buckets_written_total',
      help: 'Settled buckets the ledger sync wrote, by source and outcome: new (covered for the first time) or restated (the provider changed a settled value; a new revision).',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry]
    })
    this.errors = new Counter({
      name: 'usage_service_ledger_sync_errors_total',
      help: 'Ledger syncs of a source that failed (upstream call or store), by source.',
      labelNames: ['source'] as const,
      registers: [registry]
    })
    this.lastSuccess = new Gauge({
      name: 'usage_service_ledger_sync_last_success_timestamp_seconds',
      help: 'When the ledger sync of a source last completed, in seconds since the epoch; 0 until it has.',
      labelNames: ['source'] as const,
      registers: [registry]
    })
    for (const result of SYNC_RUN_RESULTS) this.runs.inc({ result }, 0)
    for (const source of sourceIds) {
      for (const outcome of SYNC_BUCKET_OUTCOMES) this.buckets.inc({ source, outcome }, 0)
      this.errors.inc({ source }, 0)
      this.lastSuccess.set({ source }, 0)
    }
  }
}
