// Provider facts: docs/providers/README.md#simulators
/**
 * Remembers signature nonces so a captured request cannot be replayed. The window matches the 15-minute timestamp
 * tolerance: an older replay is already refused as expired, so nothing older needs remembering.
 */

export interface NonceRegistry {
  /** True the first time (key, nonce) is seen within the window; false for a replay. */
  use(key: string, nonce: string, now: number): boolean
}

export function createNonceRegistry (windowMs: number): NonceRegistry {
  const seenAt = new Map<string, number>()
  return {
    use (key, nonce, now) {
      // Insertion order is arrival order, so expired entries are at the front.
      for (const [entry, time] of seenAt) {
        if (now - time < windowMs) break
        seenAt.delete(entry)
      }
      const entry = `${key}\u0000${nonce}`
      if (seenAt.has(entry)) return false
      seenAt.set(entry, now)
      return true
    }
  }
}
