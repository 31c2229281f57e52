/**
 * Pure: the formats an answer is rendered in, one entry each. Tabular formats have no place for `complete` and the
 * warnings, so they travel in headers: X-Usage-Complete (true|false) and X-Usage-Warnings (how many; the JSON answer
 * holds them).
 */
import type { RenderedAnswer } from './answer-memo.js'
import { toCsv } from './format-answer.js'
import { toFocusCsv } from './format-focus.js'
import { toRows } from './format-rows.js'
import type { UsageResponse } from './usage-response.js'

export const ANSWER_FORMATS = ['json', 'csv', 'rows', 'focus'] as const
export type AnswerFormat = (typeof ANSWER_FORMATS)[number]

type Renderer = (response: UsageResponse, query: { groupBy: readonly string[], granularity: string }) => Omit<RenderedAnswer, 'complete'>

const JSON_TYPE = 'application/json; charset=utf-8'
const CSV_TYPE = 'text/csv; charset=utf-8'

const RENDERERS: Record<AnswerFormat, Renderer> = {
  json: response => ({ body: JSON.stringify(response), contentType: JSON_TYPE, headers: {} }),
  rows: (response, query) => ({ body: JSON.stringify(toRows(response, query.groupBy)), contentType: JSON_TYPE, headers: verdictHeaders(response) }),
  csv: (response, query) => ({
    body: toCsv(response, query.groupBy),
    contentType: CSV_TYPE,
    headers: { ...verdictHeaders(response), 'content-disposition': attachment(response, query.granularity, '') }
  }),
  focus: (response, query) => ({
    body: toFocusCsv(response, query.groupBy),
    contentType: CSV_TYPE,
    headers: { ...verdictHeaders(response), 'content-disposition': attachment(response, query.granularity, '_focus') }
  })
}

/**
 * Whether a format's body says how this copy of the answer was made (`sources[].calls`, `cachedCalls`,
 * `cacheAgeSeconds`) besides the data: only JSON does; every format carries the cache age in a header.
 */
export const BODY_SHOWS_BOOKKEEPING: Record<AnswerFormat, boolean> = { json: true, rows: false, csv: false, focus: false }
const CACHE_AGE_HEADER = 'x-usage-cache-age'
/** The headers of a rendered answer that say how this copy was made, not what the data is. */
export const BOOKKEEPING_HEADERS: readonly string[] = [CACHE_AGE_HEADER]

export function renderAnswer (format: AnswerFormat, response: UsageResponse, query: { groupBy: readonly string[], granularity: string }): RenderedAnswer {
  const rendered = { ...RENDERERS[format](response, query), complete: response.complete }
  if (response.cacheAgeSeconds !== null) rendered.headers[CACHE_AGE_HEADER] = String(response.cacheAgeSeconds)
  return rendered
}

function verdictHeaders (response: UsageResponse): Record<string, string> {
  return { 'x-usage-complete': String(response.complete), 'x-usage-warnings': String(response.warnings.length) }
}

/** usage_<from>_<to>_<granularity>.csv, ASCII only: the instants without colons, anything else odd replaced by '_'. */
function attachment (response: UsageResponse, granularity: string, suffix: string): string {
  const safe = (text: string): string => text.replace(/:/g, '').replace(/[^A-Za-z0-9+._-]/g, '_')
  return `attachment; filename="usage_${safe(response.from)}_${safe(response.to)}_${safe(granularity)}${suffix}.csv"`
}
