/** When and how long to wait before calling a provider again. Only UpstreamError.retryable failures retry. */
import { UpstreamError } from '../errors.js'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 }

export function isRetryable (error: unknown): boolean {
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
