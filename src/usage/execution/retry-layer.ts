/**
 * Retries retryable failures with backoff (see retry-policy.ts), each attempt going through the layers below
 * afresh, as long as someone can still use the retry: a wait that would end after a waiter's deadline fails
 * that waiter at once with the provider's error.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, retryPastDeadline, type RetryPolicy } from '../retry-policy.js'
import type { CallLayer } from './call-layer.js'

export interface RetryLayerOptions {
  policy?: RetryPolicy
  /** Called before each wait for a retry. */
  onRetry?: () => void
  /** The jitter's source; Math.random by default. */
  random?: () => number
  /** The monotonic clock deadlines are on. */
  monotonicNow?: () => number
}

export function retryLayer (options: RetryLayerOptions = {}): CallLayer {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY
  const monotonicNow = options.monotonicNow ?? (() => performance.now())
  return next => async (call, context) => {
    const { signal, waiters } = context
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(call, { ...context, attempt })
      } catch (error) {
        if (!isRetryable(error) || attempt >= policy.maxAttempts || signal.aborted) throw error
        const delayMs = retryDelayMs(attempt, error, policy, options.random)
        const until = monotonicNow() + delayMs
        // Each request waiting for this call gets the provider's failure now if it could not see the retry's
        // start (an x-acs-retry-after hint of a minute against a 2 s deadline), instead of a deadline error
        // later that has lost the provider's code. The call goes on while one request can still use it: with
        // requests of different deadlines, the latest decides, and the others are not held to it.
        const failure = retryPastDeadline(error, delayMs)
        if (!waiters.dismissBefore(until, failure)) throw failure
        options.onRetry?.()
        waiters.backingOff({ until, failure })
        try {
          await sleep(delayMs, undefined, { signal })
        } catch {
          // The deadline came during the backoff: the provider's own error says more than "aborted".
          throw error
        } finally {
          waiters.backingOff(null)
        }
      }
    }
  }
}
