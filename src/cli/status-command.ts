/** `status`: per source, what the ledger holds and how its sync went, from the store alone (no provider call). */
import type { LedgerStore } from '../ledger/index.js'
import type { LedgerTarget } from '../ledger-sync/ledger-target.js'
import type { StepOutput } from './step-output.js'

const iso = (instant: number | null | undefined): string | null => instant === null || instant === undefined ? null : new Date(instant).toISOString()

export async function runStatus (store: LedgerStore, sourceIds: readonly string[], targets: readonly LedgerTarget[], output: StepOutput): Promise<number> {
  const statuses = new Map((await store.status(sourceIds)).map(status => [status.sourceId, status]))
  const states = new Map((await store.syncStates()).map(state => [state.sourceId, state]))
  for (const sourceId of sourceIds) {
    const status = statuses.get(sourceId)
    const state = states.get(sourceId)
    const kept = targets.some(target => target.source.config.id === sourceId)
    output.emit({
      event: 'source',
      source: sourceId,
      // A kind without native buckets (one total per call) has nothing the ledger could keep per bucket.
      kept,
      oldestSettledBucket: iso(status?.oldestBucketStart),
      newestSettledBucket: status === undefined ? null : { from: iso(status.newestBucketStart), to: iso(status.newestBucketEnd) },
      buckets: status?.buckets ?? 0,
      restatedBuckets: status?.restatedBuckets ?? 0,
      variants: status?.variants ?? 0,
      lastWrite: iso(status?.lastWriteAt),
      lastSyncAttempt: iso(state?.lastAttemptAt),
      lastSyncSuccess: iso(state?.lastSuccessAt),
      lastError: state?.lastError ?? null,
      lastErrorAt: iso(state?.lastErrorAt)
    })
  }
  return 0
}
