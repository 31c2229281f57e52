/** When and how long to wait before calling a provider again. Only UpstreamError.retryable failures retry. */
import { UpstreamError, type UpstreamErrorCode } from '../errors.js'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 }

export function isRetryable (error: unknown): error is UpstreamError {
  return error instanceof UpstreamError && error.retryable
}

/**
 * Exponential backoff with full jitter (so a burst of callers does not retry in step), never shorter than
 * the provider's own x-acs-retry-after hint.
 */
export function retryDelayMs (attempt: number, error: unknown, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  const jittered = Math.round(ceiling / 2 + random() * ceiling / 2)
  const hinted = error instanceof UpstreamError && error.retryAfterMs !== null ? error.retryAfterMs : 0
  return Math.max(jittered, hinted)
}

/**
 * The failure a caller gets when the wait before the next attempt would end after its deadline: the provider's
 * own error (code, provider code, request id) at once, rather than a deadline error later that says less.
 */
export function retryPastDeadline (error: UpstreamError, delayMs: number): UpstreamError {
  const wait = `${Math.ceil(delayMs / 100) / 10} s`
  const why = error.retryAfterMs !== null
    ? `the provider asks to wait ${wait} before retrying, longer than the request had left`
    : `the next retry (in ${wait}) would start after the request deadline`
  return new UpstreamError(error.code as UpstreamErrorCode, `${error.message} (not retried: ${why})`, {
    providerCode: error.providerCode,
    requestId: error.requestId,
    httpStatus: error.httpStatus,
    retryAfterMs: error.retryAfterMs,
    cause: error
  })
}
