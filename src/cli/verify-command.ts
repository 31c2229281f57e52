/**
 * `verify --from --to [--apply]`: asks the providers again for every settled native bucket of the range and
 * reports each one whose records differ from what the ledger holds (or that the ledger does not hold). Writes
 * nothing unless --apply: then each window's answer is written as sync would (a difference becomes a new
 * revision, the old one kept; an uncovered bucket is covered).
 */
import type { LedgerTarget } from '../ledger-sync/ledger-target.js'
import { planRange } from '../ledger-sync/range-plan.js'
import { recordDifferences } from '../ledger-sync/record-differences.js'
import { fetchSettledWindow, writeFetched, type LedgerWorkContext } from '../ledger-sync/store-window.js'
import { windowsOf } from '../ledger-sync/sync-windows.js'
import { describeError, isoRange } from './backfill-command.js'
import { estimateRemainingMs, type StepOutput } from './step-output.js'

export interface VerifyRequest { from: number, to: number, apply: boolean }

/** Exit status: 0 when the ledger matches the providers (or --apply wrote every difference), 1 otherwise. */
export async function runVerify (context: LedgerWorkContext, targets: readonly LedgerTarget[], request: VerifyRequest, output: StepOutput): Promise<number> {
  const now = context.clock.now()
  const planned = targets.flatMap(target => {
    const plan = planRange(target, request, now)
    const windows = windowsOf([plan.fetchable].filter(range => range.to > range.from), target.grid, { limits: target.source.adapter.limits, earliest: plan.fetchable.from })
    return target.variants.flatMap(variant => windows.map(window => ({ target, variant, window, plan })))
  })
  const started = performance.now()
  const totals = { windows: 0, buckets: 0, differing: 0, notInLedger: 0, written: 0, failed: 0 }
  for (const [index, { target, variant, window }] of planned.entries()) {
    const sourceId = target.source.config.id
    try {
      const fetched = await fetchSettledWindow(context, target, variant, window)
      const stored = new Map((await context.store.readRange({ sourceId, variant: variant.key, ...window })).map(bucket => [bucket.start, bucket]))
      let windowDifferences = 0
      for (const bucket of fetched.buckets) {
        const held = stored.get(bucket.start)
        const differences = recordDifferences(held?.records ?? [], bucket.records)
        if (held !== undefined && differences.length === 0) continue
        windowDifferences += 1
        if (held === undefined) totals.notInLedger += 1
        else totals.differing += 1
        output.emit({
          event: held === undefined ? 'not_in_ledger' : 'differs',
          source: sourceId,
          variant: variant.key,
          bucket: isoRange({ from: bucket.start, to: bucket.end }),
          ...held === undefined ? { providerRecords: bucket.records.length } : { ledgerRevision: held.revision, records: differences }
        })
      }
      totals.windows += 1
      totals.buckets += fetched.buckets.length
      if (request.apply && windowDifferences > 0) {
        const written = await writeFetched(context.store, target, variant, fetched)
        totals.written += written.added.length + written.restated.length
      }
      output.emit({
        event: 'window',
        source: sourceId,
        window: isoRange(window),
        buckets: fetched.buckets.length,
        differences: windowDifferences,
        progress: { done: index + 1, total: planned.length, etaMs: estimateRemainingMs(performance.now() - started, index + 1, planned.length) }
      })
    } catch (error) {
      if (context.signal.aborted) throw error
      totals.failed += 1
      output.emit({ event: 'error', source: sourceId, window: isoRange(window), error: describeError(error) })
    }
  }
  output.emit({ event: 'done', ...totals, apply: request.apply, elapsedMs: Math.round(performance.now() - started) })
  const unresolved = request.apply ? totals.differing + totals.notInLedger - totals.written : totals.differing + totals.notInLedger
  return totals.failed === 0 && unresolved === 0 ? 0 : 1
}
