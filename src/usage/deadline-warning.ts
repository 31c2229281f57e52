/**
 * What the request deadline cut short (pure): which upstream calls it ended before they answered, and the
 * warning that names them, so an answer sent past its deadline says what it lacks instead of being discarded.
 */
import { UpstreamError, UsageError } from '../errors.js'
import { formatInstant, type TimeRange } from '../time/index.js'
import type { UsageWarning } from './usage-query.js'

/** How many of a source's calls the deadline cut, and the parts of the range they were for (merged, in order). */
export interface DeadlineCut {
  source: string
  cutCalls: number
  calls: number
  ranges: TimeRange[]
}

/** Ranges listed per source in the warning before the rest are only counted. */
const LISTED_RANGES = 3

/**
 * The failure of a call that failed once `signal` (the request's deadline) had aborted, because of it: the wait
 * was cancelled, or the transport gave up. Such a call is reported as DEADLINE_EXCEEDED, whatever layer noticed.
 * A provider's own answer (an error code, a throttle) is kept: it is what the provider said.
 */
export function deadlineFailure (reason: unknown, signal: AbortSignal): unknown {
  if (!signal.aborted) return reason
  const cancelled = reason instanceof Error && (reason.name === 'TimeoutError' || reason.name === 'AbortError')
  const timedOut = reason instanceof UpstreamError && reason.code === 'UPSTREAM_TIMEOUT'
  if (!cancelled && !timedOut) return reason
  return new UsageError('DEADLINE_EXCEEDED', 'the request deadline passed before this call finished', { cause: reason })
}

/** Adjacent or overlapping windows as one range each. */
export function mergeRanges (windows: readonly TimeRange[]): TimeRange[] {
  const sorted = [...windows].sort((left, right) => left.from - right.from)
  const merged: TimeRange[] = []
  for (const window of sorted) {
    const last = merged[merged.length - 1]
    if (last !== undefined && window.from <= last.to) last.to = Math.max(last.to, window.to)
    else merged.push({ from: window.from, to: window.to })
  }
  return merged
}

/** The one warning of an incomplete answer whose deadline passed; the points it names are incomplete. */
export function deadlineWarning (cuts: readonly DeadlineCut[], zone: string): UsageWarning {
  const named = cuts.filter(cut => cut.cutCalls > 0).map(cut => {
    const listed = cut.ranges.slice(0, LISTED_RANGES).map(range => `${formatInstant(range.from, zone)} to ${formatInstant(range.to, zone)}`)
    const more = cut.ranges.length > LISTED_RANGES ? ` and ${cut.ranges.length - LISTED_RANGES} more ranges` : ''
    return `'${cut.source}' (${cut.cutCalls} of ${cut.calls} calls: ${listed.join(', ')}${more})`
  })
  const what = named.length > 0
    ? `these calls were not obtained: ${named.join('; ')}`
    : 'some calls had failed or were not retried for lack of time (sources[] says which)'
  return {
    type: 'deadline_exceeded',
    source: null,
    message: `DEADLINE_EXCEEDED: the request deadline passed before every upstream call finished; ${what}. ` +
      'The points they feed are incomplete, their value what was obtained (null when nothing was). ' +
      'Retry, narrow the range or raise timeout; strict=true answers 504 instead'
  }
}
