// Provider facts: docs/providers/aliyun-ims.md#simulator
/**
 * Validates DescribeMeterImsSummary parameters as the docs state them (docs/providers/aliyun-ims.md#simulator):
 * StartTs and EndTs required 10-digit unix seconds, at most 31 days apart, no older than 90 days. Every refusal is
 * the documented 400 Meter.ParamError with the reason in its `%s`. Choices where the docs are silent, each named:
 * - EndTs must be after StartTs (an empty or reversed range has no total to give).
 * - The 31-day limit is inclusive: EndTs − StartTs = 31 × 86400 is accepted.
 * - Any whole second is accepted (the API takes seconds); EndTs after now is accepted and counts only up to now.
 * - Region is accepted and ignored: the docs say it has no effect.
 */
import { imsMeterError, type ImsMeterError } from './ims-meter-errors.js'

export interface ImsSummaryQuery { from: number, to: number }

const SECOND_MS = 1000
const DAY_MS = 86_400_000
const MAX_SPAN_MS = 31 * DAY_MS
const LOOKBACK_MS = 90 * DAY_MS
const TEN_DIGITS = /^[1-9]\d{9}$/

export function parseImsParameters (parameters: Record<string, string>, now: number): ImsSummaryQuery | ImsMeterError {
  const from = tenDigitSeconds(parameters.StartTs)
  if (from === null) return imsMeterError('Meter.ParamError', 'StartTs must be a 10-digit timestamp')
  const to = tenDigitSeconds(parameters.EndTs)
  if (to === null) return imsMeterError('Meter.ParamError', 'EndTs must be a 10-digit timestamp')
  if (to <= from) return imsMeterError('Meter.ParamError', 'EndTs must be later than StartTs')
  if (to - from > MAX_SPAN_MS) return imsMeterError('Meter.ParamError', 'the time range exceeds 31 days')
  if (from < now - LOOKBACK_MS) return imsMeterError('Meter.ParamError', 'StartTs is more than 90 days ago')
  return { from, to }
}

function tenDigitSeconds (value: string | undefined): number | null {
  return value !== undefined && TEN_DIGITS.test(value) ? Number(value) * SECOND_MS : null
}
