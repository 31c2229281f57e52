// Provider facts: docs/providers/README.md#simulators
/**
 * Per-key "at most N calls in any 1-second window", as Alibaba describes its per-user QPS limits.
 * Rejected calls do not consume budget: a client that backs off recovers as soon as the window slides.
 */

export interface SlidingWindowLimiter {
  /** True and counted when the call fits; false (not counted) when the key already had `limit` calls in the window. */
  tryAcquire(key: string, limit: number): boolean
}

export function createSlidingWindowLimiter (options: { windowMs: number, now: () => number }): SlidingWindowLimiter {
  const admittedTimesByKey = new Map<string, number[]>()
  return {
    tryAcquire (key, limit) {
      const now = options.now()
      const admitted = (admittedTimesByKey.get(key) ?? []).filter(time => now - time < options.windowMs)
      const fits = admitted.length < limit
      if (fits) admitted.push(now)
      admittedTimesByKey.set(key, admitted)
      return fits
    }
  }
}
