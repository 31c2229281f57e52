/**
 * `backfill --from --to`: every settled native bucket of the range the ledger does not hold yet, fetched one
 * window at a time, oldest first, each window's buckets committed in one transaction. Resumable by construction:
 * what is planned is what is not covered, so a rerun after an interruption (Ctrl-C, kill -9) plans only the rest.
 */
import type { LedgerTarget } from '../ledger-sync/ledger-target.js'
import { planRange } from '../ledger-sync/range-plan.js'
import { storeSettledWindow, type LedgerWorkContext } from '../ledger-sync/store-window.js'
import { uncoveredRuns, windowsOf } from '../ledger-sync/sync-windows.js'
import type { TimeRange } from '../time/index.js'
import { estimateRemainingMs, type StepOutput } from './step-output.js'

export interface BackfillRequest {
  from: number
  to: number
  /** Shorter windows than the provider's span limit: finer progress and resumption. */
  windowMs: number | null
}

interface PlannedWindow { target: LedgerTarget, variantIndex: number, window: TimeRange }

/** Exit status: 0 when every planned window was written, 1 when some failed (rerun to continue). */
export async function runBackfill (context: LedgerWorkContext, targets: readonly LedgerTarget[], request: BackfillRequest, output: StepOutput): Promise<number> {
  const planned: PlannedWindow[] = []
  const now = context.clock.now()
  for (const target of targets) {
    const plan = planRange(target, request, now)
    for (const [variantIndex, variant] of target.variants.entries()) {
      const covered = plan.fetchable.to > plan.fetchable.from
        ? await context.store.coveredBounds({ sourceId: target.source.config.id, variant: variant.key, ...plan.fetchable })
        : []
      const runs = uncoveredRuns(plan.fetchable, covered, target.grid)
      const windows = windowsOf(runs, target.grid, { limits: target.source.adapter.limits, maxWindowMs: request.windowMs ?? undefined, earliest: plan.fetchable.from })
      output.emit({
        event: 'plan',
        source: target.source.config.id,
        variant: variant.key,
        fetchable: isoRange(plan.fetchable),
        buckets: (plan.fetchable.to - plan.fetchable.from) / target.grid.stepMs,
        alreadyCovered: covered.length,
        windows: windows.length,
        ...plan.beforeLookback === null ? {} : { beforeLookback: isoRange(plan.beforeLookback) },
        ...plan.notSettled === null ? {} : { notSettled: isoRange(plan.notSettled) }
      })
      planned.push(...windows.map(window => ({ target, variantIndex, window })))
    }
  }

  const started = performance.now()
  const totals = { windows: 0, added: 0, restated: 0, unchanged: 0, failed: 0 }
  const failedSources = new Set<string>()
  for (const [index, { target, variantIndex, window }] of planned.entries()) {
    const sourceId = target.source.config.id
    // After a source's failure its later windows wait for the rerun: it is likely down or throttling us.
    if (failedSources.has(sourceId)) continue
    try {
      const stored = await storeSettledWindow(context, target, target.variants[variantIndex]!, window)
      totals.windows += 1
      totals.added += stored.written.added.length
      totals.restated += stored.written.restated.length
      totals.unchanged += stored.written.unchanged
      output.emit({
        event: 'window',
        source: sourceId,
        window: isoRange(window),
        added: stored.written.added.length,
        restated: stored.written.restated.length,
        unchanged: stored.written.unchanged,
        providerRequestId: stored.requestId,
        progress: { done: index + 1, total: planned.length, etaMs: estimateRemainingMs(performance.now() - started, index + 1, planned.length) }
      })
    } catch (error) {
      if (context.signal.aborted) throw error
      totals.failed += 1
      failedSources.add(sourceId)
      output.emit({ event: 'error', source: sourceId, window: isoRange(window), error: describeError(error) })
    }
  }
  output.emit({ event: 'done', ...totals, elapsedMs: Math.round(performance.now() - started) })
  return totals.failed === 0 ? 0 : 1
}

export function isoRange (range: TimeRange): { from: string, to: string } {
  return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() }
}

export function describeError (error: unknown): string {
  return error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error)
}
