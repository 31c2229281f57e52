/**
 * The warnings the usage ledger adds to an answer (pure): that it could not be used (once per answer, the
 * sources it affected named), which buckets a provider restated after they were first final, and, as of an
 * instant, which buckets it did not hold then.
 */
import { formatInstant, type TimeRange } from '../time/index.js'
import type { LedgerShare } from './source-ledger.js'
import type { UsageWarning } from './usage-query.js'

/** Buckets or ranges named per warning before the rest are only counted. */
const LISTED = 5

export interface SourceLedgerOutcome {
  source: string
  share: LedgerShare | null
  writeProblem: string | null
}

export function ledgerWarnings (outcomes: readonly SourceLedgerOutcome[], zone: string, asOf: number | null): UsageWarning[] {
  const warnings: UsageWarning[] = []
  const unread = outcomes.filter(outcome => outcome.share?.problem != null)
  const unwritten = outcomes.filter(outcome => outcome.share?.problem == null && outcome.writeProblem !== null)
  if (unread.length > 0) {
    const reason = unread[0]!.share!.problem!
    warnings.push({
      type: 'ledger_unavailable',
      source: null,
      message: asOf === null
        ? `the usage ledger could not be read (${reason}); ${names(unread)} answered from the providers`
        : `the usage ledger could not be read (${reason}); asOf answers come from the ledger only, so ${names(unread)} usage is null`
    })
  } else if (unwritten.length > 0) {
    warnings.push({
      type: 'ledger_unavailable',
      source: null,
      message: `settled usage fetched for ${names(unwritten)} could not be kept in the usage ledger (${unwritten[0]!.writeProblem!}); the answer is not affected`
    })
  }
  for (const { source, share } of outcomes) {
    if (share === null) continue
    if (share.restated.length > 0) {
      warnings.push({
        type: 'restated',
        source,
        message: `source '${source}': the provider restated ${share.restated.length} settled bucket${share.restated.length === 1 ? '' : 's'} after ` +
          `${share.restated.length === 1 ? 'it was' : 'they were'} first final; this answer has the latest value${asOf === null ? '' : ' as of asOf'}: ` +
          listed(share.restated.map(start => formatInstant(start, zone)))
      })
    }
    if (share.notInLedger.length > 0) {
      warnings.push({
        type: 'not_in_ledger',
        source,
        message: `source '${source}': the usage ledger did not hold ${listed(share.notInLedger.map(range => rangeText(range, zone)))} ` +
          `as of ${new Date(asOf ?? 0).toISOString()}; that usage is null, not zero`
      })
    }
  }
  return warnings
}

function names (outcomes: readonly SourceLedgerOutcome[]): string {
  return outcomes.map(outcome => `'${outcome.source}'`).join(', ')
}

function rangeText (range: TimeRange, zone: string): string {
  return `${formatInstant(range.from, zone)} to ${formatInstant(range.to, zone)}`
}

function listed (items: readonly string[]): string {
  const shown = items.slice(0, LISTED).join(', ')
  return items.length > LISTED ? `${shown} and ${items.length - LISTED} more` : shown
}
