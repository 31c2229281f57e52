/**
 * What a caller (or a cache in between) may reuse: an entity tag naming the answer's data, and how long the answer
 * may be reused without asking again. A final answer (`final`: complete, its range settled) changes only if a
 * provider restates a settled value, so it may be kept for an hour; any other answer (provisional or incomplete points, a source that
 * failed) must be revalidated each time, which the tag makes cheap: an unchanged answer is a 304 with no body.
 *
 * Why the tag is weak (`W/"…"`, RFC 9110 §8.8.3). A strong tag promises byte-identical representations. Two
 * answers to the same query with the same data are not byte-identical: the JSON answer also says how this copy was
 * made (`sources[].calls`, `sources[].cachedCalls`, `sources[].ledgerBuckets`, `cacheAgeSeconds`), so a dashboard repeating a query gets, say,
 * `calls: 1` and then `cachedCalls: 1`. A strong tag over those bytes changes on every poll and a 304 never comes;
 * a strong tag over the data alone would claim byte equality that does not hold. The same goes for content codings:
 * gzip, brotli and identity copies differ in bytes, and a strong tag shared by them is wrong (§8.8.3.3). A weak tag
 * says exactly what holds, "the same data, so either copy will do", and it is all If-None-Match needs: that
 * comparison is weak by definition (§13.1.2), so a repeated answer is a 304. What a strong tag would add
 * (If-Match, If-Range, byte ranges) does not apply to a read-only answer served whole. Moving the bookkeeping out
 * of the body into headers would have allowed a strong tag, at the cost of fields callers already read.
 */
import { createHash } from 'node:crypto'
import { BODY_SHOWS_BOOKKEEPING, BOOKKEEPING_HEADERS, renderAnswer, type AnswerFormat } from './answer-formats.js'
import type { RenderedAnswer } from './answer-memo.js'
import type { UsageResponse } from './usage-response.js'

/** How long a final answer may be reused; short enough that a restatement reaches callers the same hour. */
export const FINAL_ANSWER_MAX_AGE_SECONDS = 3600

/**
 * A weak entity tag over a representation: the SHA-256 of its headers about the data (`X-Usage-Complete` and
 * `X-Usage-Warnings` of a tabular answer, whose body has no room for them) and its body, given in parts, base64url.
 */
export function entityTagOf (representation: { headers: Record<string, string>, body: readonly string[] }): string {
  const headers = Object.entries(representation.headers)
    .filter(([name]) => !BOOKKEEPING_HEADERS.includes(name))
    .sort(([a], [b]) => a < b ? -1 : 1)
  const hash = createHash('sha256').update(JSON.stringify(headers)).update('\n')
  for (const part of representation.body) hash.update(part, 'utf8')
  return `W/"${hash.digest('base64url')}"`
}

/**
 * The answer with the bookkeeping of this copy cleared (no calls, no cached calls, no cache age): every copy of the
 * same data reads the same, whichever upstream calls or cache entries made it.
 */
export function withoutBookkeeping (response: UsageResponse): UsageResponse {
  return { ...response, sources: response.sources.map(source => ({ ...source, calls: 0, cachedCalls: 0, ledgerBuckets: 0 })), cacheAgeSeconds: null }
}

/**
 * `private`: answers depend on the caller's API key, so no shared cache may hand one to another caller. Only a
 * final answer (complete, its range settled, every point final) may be reused without asking.
 */
export function cacheControlOf (response: Pick<UsageResponse, 'final'>): string {
  return response.final ? `private, max-age=${FINAL_ANSWER_MAX_AGE_SECONDS}` : 'private, no-cache'
}

/**
 * The validator and caching headers of a rendered answer. The tag is over the representation rendered from the
 * answer without its bookkeeping: the same format, query and data give the same tag, and anything else a caller
 * could read (a value, a state, a total, a warning, a source's status or error, a column, X-Usage-Complete) another.
 */
export function cachingHeadersOf (
  format: AnswerFormat,
  response: UsageResponse,
  query: { groupBy: readonly string[], granularity: string },
  rendered: RenderedAnswer
): Record<string, string> {
  // Tabular bodies hold no bookkeeping (test/usage/answer-caching.test.ts checks it): rendering again would give the same text.
  const body = BODY_SHOWS_BOOKKEEPING[format] ? jsonDataParts(rendered.body, response, query) : [rendered.body]
  return { etag: entityTagOf({ headers: rendered.headers, body }), 'cache-control': cacheControlOf(response) }
}

/**
 * The JSON answer's text without its bookkeeping, in parts, without serializing the series again (nearly all the
 * bytes of a big answer): the bookkeeping is in the last keys (sources, warnings, cacheAgeSeconds), so the body is
 * the data up to the series followed by the serialization of those keys, which alone is replaced. Should the keys
 * ever move, the body no longer ends that way and the whole answer is rendered again.
 */
function jsonDataParts (body: string, response: UsageResponse, query: { groupBy: readonly string[], granularity: string }): string[] {
  const lastKeys = (answer: UsageResponse): string =>
    JSON.stringify({ sources: answer.sources, warnings: answer.warnings, cacheAgeSeconds: answer.cacheAgeSeconds }).slice(1)
  const actual = lastKeys(response)
  const data = withoutBookkeeping(response)
  if (!body.endsWith(actual)) return [renderAnswer('json', data, query).body]
  return [body.slice(0, body.length - actual.length), lastKeys(data)]
}
