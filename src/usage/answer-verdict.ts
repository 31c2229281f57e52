/**
 * Whether an answer may be sent as it is, decided from the answer and what was asked (pure). Without strict it
 * always may: an incomplete answer says so (complete, incomplete points, warnings — one of them
 * deadline_exceeded when the deadline cut it short), and what was obtained is not thrown away. With strict=true,
 * an incomplete answer whose deadline passed is refused as DEADLINE_EXCEEDED (what is missing may only have been
 * late), and a source that is not ok or a point that is incomplete as SOURCE_FAILED. Either refusal carries
 * sources[] as its details, so the caller still learns what was and was not obtained.
 */
import { UsageError, type ErrorDetails } from '../errors.js'
import { formatSourceReports } from './format-answer.js'
import type { UsageAnswer, UsageQuery } from './usage-query.js'

/** `timeoutMs` is the deadline the answer ran under, named in the refusal. */
export function checkVerdict (answer: UsageAnswer, query: Pick<UsageQuery, 'strict' | 'zone'>, timeoutMs: number): void {
  if (!query.strict) return
  if (answer.deadlinePassed && !answer.complete) {
    throw new UsageError('DEADLINE_EXCEEDED', `strict=true and the deadline of ${timeoutMs / 1000} s passed before every upstream call finished; ` +
      'sources[] says what was and was not obtained: retry, narrow the range, raise timeout, or leave strict off to get what was obtained', {
      details: sourceDetails(answer, query.zone)
    })
  }
  const failing = answer.sources.filter(source => source.status !== 'ok')
  if (failing.length > 0 || !answer.complete) {
    throw new UsageError('SOURCE_FAILED', `strict=true and ${failing.map(source => `'${source.id}' is ${source.status}`).join(', ') || 'some points are incomplete'}`, {
      details: sourceDetails(answer, query.zone)
    })
  }
}

/** A refused answer's details: each selected source's entry of sources[], named by `source` like every source detail. */
function sourceDetails (answer: UsageAnswer, zone: string): ErrorDetails {
  return formatSourceReports(answer.sources, zone).map(report => ({ source: report.id, ...report }))
}
