/**
 * One upstream window of a ledger variant: fetched fresh from the provider through the source's executor (its
 * budget, retries and metrics), its settled buckets written in one transaction. What sync, backfill and
 * verify --apply all do, one window at a time.
 */
import type { Clock } from '../clock.js'
import { settledBuckets, type LedgerStore, type SettledBucketInput, type SettledWriteResult } from '../ledger/index.js'
import { listGridBuckets, type TimeRange } from '../time/index.js'
import { callKey } from '../usage/call-keys.js'
import type { LedgerTarget, LedgerVariant } from './ledger-target.js'
import { metricUnitOf } from '../usage/metric-unit.js'
import type { SyncSlots } from './sync-slots.js'

export interface LedgerWorkContext {
  store: LedgerStore
  clock: Clock
  slots: SyncSlots
  /** Aborted when the work must stop (shutdown, Ctrl-C): calls in flight are cancelled, nothing half-written. */
  signal: AbortSignal
}

export interface FetchedWindow {
  window: TimeRange
  /** Every settled native bucket of the window, records or not (no record: the provider reported zero). */
  buckets: SettledBucketInput[]
  fetchedAt: number
  requestId: string | null
}

/**
 * Asks the provider for one window and keeps the buckets that were settled when it was asked (end + settle
 * delay ≤ now): a bucket still inside the data delay may change and is not the ledger's. Never a cached answer.
 */
export async function fetchSettledWindow (context: Omit<LedgerWorkContext, 'store'>, target: LedgerTarget, variant: LedgerVariant, window: TimeRange): Promise<FetchedWindow> {
  const { source, grid } = target
  const settledTo = context.clock.now() - source.executor.settleDelayMs
  const call = { window, grid, variant: variant.variant, key: callKey(source.config.id, window, grid, variant.variant) }
  const executed = await context.slots.run(source.config, async () => await source.executor.run(call, context.signal, Number.POSITIVE_INFINITY, { fresh: true }))
  const bounds = listGridBuckets(window, grid).filter(bucket => bucket.end <= settledTo)
  return {
    window,
    buckets: settledBuckets(bounds, executed.result.records, metricUnitOf(source.adapter)),
    fetchedAt: executed.cachedAt ?? context.clock.now(),
    requestId: executed.result.requestId
  }
}

export interface StoredWindow {
  window: TimeRange
  variant: string
  written: SettledWriteResult
  requestId: string | null
}

export async function storeSettledWindow (context: LedgerWorkContext, target: LedgerTarget, variant: LedgerVariant, window: TimeRange): Promise<StoredWindow> {
  const fetched = await fetchSettledWindow(context, target, variant, window)
  return { window, variant: variant.key, requestId: fetched.requestId, written: await writeFetched(context.store, target, variant, fetched) }
}

export async function writeFetched (store: LedgerStore, target: LedgerTarget, variant: LedgerVariant, fetched: FetchedWindow): Promise<SettledWriteResult> {
  return await store.writeSettled({
    sourceId: target.source.config.id,
    variant: variant.key,
    fetchedAt: fetched.fetchedAt,
    requestId: fetched.requestId,
    buckets: fetched.buckets
  })
}
