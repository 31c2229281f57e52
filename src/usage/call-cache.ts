/**
 * Upstream answers kept by the exact upstream request (source, window, grid, parameters), never by what a
 * caller asked: a different zone or granularity plans different windows, so it can never reuse a wrong bucket.
 * Final answers live long, provisional ones briefly; memory is bounded by an estimate of each entry's size.
 */
import { LRUCache } from 'lru-cache'
import type { Clock } from '../clock.js'
import type { FetchResult } from './source-adapter.js'

export interface CachedAnswer {
  result: FetchResult
  storedAt: number
  expiresAt: number
}

/** A record is a handful of short strings and numbers; this over-estimates, which is the safe side. */
const BYTES_PER_RECORD = 320

export class CallCache {
  private readonly entries: LRUCache<string, CachedAnswer>

  constructor (private readonly clock: Clock, maxBytes: number) {
    this.entries = new LRUCache<string, CachedAnswer>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (answer, key) => 256 + key.length * 2 + answer.result.records.length * BYTES_PER_RECORD
    })
  }

  /** Expiry follows the service's clock, so tests and replays decide what "later" means. */
  get (key: string): CachedAnswer | undefined {
    const answer = this.entries.get(key)
    if (answer === undefined) return undefined
    if (answer.expiresAt <= this.clock.now()) {
      this.entries.delete(key)
      return undefined
    }
    return answer
  }

  set (key: string, result: FetchResult, ttlMs: number): void {
    if (ttlMs <= 0) return
    const now = this.clock.now()
    this.entries.set(key, { result, storedAt: now, expiresAt: now + ttlMs })
  }

  get size (): number {
    return this.entries.size
  }
}
