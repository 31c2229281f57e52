/**
 * One sync of one source: ask the provider again for the recent settled buckets (new ones are covered for the first
 * time, changed ones get a new revision), then fill every gap older than that back to the provider's lookback.
 * On a source's first sync the gaps are its whole lookback: that is the backfill. Newest first, so the buckets
 * queries ask for most are kept soonest; stops at the first window that fails (the next run continues from there).
 */
import { floorToGrid, type TimeRange } from '../time/index.js'
import type { LedgerTarget } from './ledger-target.js'
import { settledSpan } from './settled-span.js'
import { storeSettledWindow, type LedgerWorkContext, type StoredWindow } from './store-window.js'
import { uncoveredRuns, windowsOf } from './sync-windows.js'

export interface SourceSyncOptions {
  /** How far back from the newest settled bucket each sync asks again; 0: no recheck, new buckets only. */
  recheckMs: number
  /** Each window once written (logging restatements, metrics). */
  onWindow?: (stored: StoredWindow) => void
}

export interface SourceSyncReport {
  sourceId: string
  windows: number
  /** Buckets covered for the first time. */
  added: number
  /** Buckets whose provider value changed since the ledger stored it: each got a new revision. */
  restated: number
  unchanged: number
}

export async function syncSource (context: LedgerWorkContext, target: LedgerTarget, options: SourceSyncOptions): Promise<SourceSyncReport> {
  const sourceId = target.source.config.id
  const report: SourceSyncReport = { sourceId, windows: 0, added: 0, restated: 0, unchanged: 0 }
  const span = settledSpan(target.source, target.grid, context.clock.now())
  const recheck: TimeRange = { from: Math.max(span.from, floorToGrid(span.to - options.recheckMs, target.grid)), to: span.to }
  for (const variant of target.variants) {
    const older: TimeRange = { from: span.from, to: recheck.from }
    const covered = older.to > older.from ? await context.store.coveredBounds({ sourceId, variant: variant.key, ...older }) : []
    const runs = [...recheck.to > recheck.from ? [recheck] : [], ...uncoveredRuns(older, covered, target.grid).reverse()]
    const windows = runs.flatMap(run => windowsOf([run], target.grid, { limits: target.source.adapter.limits, earliest: span.from }).reverse())
    for (const window of windows) {
      context.signal.throwIfAborted()
      const stored = await storeSettledWindow(context, target, variant, window)
      report.windows += 1
      report.added += stored.written.added.length
      report.restated += stored.written.restated.length
      report.unchanged += stored.written.unchanged
      options.onWindow?.(stored)
    }
  }
  return report
}
