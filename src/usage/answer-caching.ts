/**
 * What a caller (or a cache in between) may reuse: a strong ETag over the exact bytes of the answer (before any
 * content coding), and how long the answer may be reused without asking again. An answer whose every point is
 * final changes only if a provider restates a settled value, so it may be kept for an hour; any other answer
 * (provisional or incomplete points, a source that failed) must be revalidated each time, which the ETag makes
 * cheap: an unchanged answer is a 304 with no body.
 */
import { createHash } from 'node:crypto'
import type { UsageResponse } from './usage-response.js'

/** How long a final answer may be reused; short enough that a restatement reaches callers the same hour. */
export const FINAL_ANSWER_MAX_AGE_SECONDS = 3600

/** A strong entity tag: the SHA-256 of the bytes sent, base64url. */
export function entityTagOf (body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`
}

/** Final: complete, at least one point, and every point final (values as the providers settled them). */
export function isFinalAnswer (response: Pick<UsageResponse, 'complete' | 'series'>): boolean {
  if (!response.complete) return false
  const points = response.series.flatMap(series => series.points)
  return points.length > 0 && points.every(point => point.state === 'final')
}

/** `private`: answers depend on the caller's API key, so no shared cache may hand one to another caller. */
export function cacheControlOf (response: Pick<UsageResponse, 'complete' | 'series'>): string {
  return isFinalAnswer(response) ? `private, max-age=${FINAL_ANSWER_MAX_AGE_SECONDS}` : 'private, no-cache'
}

/** The validator and caching headers of a rendered answer. */
export function cachingHeadersOf (body: string, response: Pick<UsageResponse, 'complete' | 'series'>): Record<string, string> {
  return { etag: entityTagOf(body), 'cache-control': cacheControlOf(response) }
}
