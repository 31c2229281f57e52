/**
 * Upstream answers kept in Redis for every replica, by the exact upstream call key (the same key as the
 * in-process cache, so a different zone or granularity can never reuse a wrong bucket). Meant for the
 * short-lived provisional answers that replicas would otherwise each fetch again; Redis expires them.
 *
 * `storedAt` is the writing replica's clock, so `cacheAgeSeconds` on another replica is off by the clocks'
 * difference (milliseconds on synchronised hosts, under the one-second resolution of the age). A failure of
 * Redis is a miss on read and nothing on write: the cache only ever saves calls, it never fails one.
 */
import type { Clock } from '../clock.js'
import type { CachedAnswer } from '../usage/call-cache.js'
import type { FetchResult } from '../usage/source-adapter.js'
import { decodeCached, encodeCached } from './fetch-result-codec.js'
import type { RedisConnection } from './redis-connection.js'
import { DEFAULT_KEY_PREFIX, redisKeyOf } from './redis-keys.js'

export class SharedCallCache {
  private readonly keyPrefix: string

  constructor (private readonly connection: RedisConnection, private readonly clock: Clock, options: { keyPrefix?: string } = {}) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX
  }

  async get (key: string): Promise<CachedAnswer | undefined> {
    if (!this.connection.isConnected) return undefined
    let reply: [string | null, number]
    try {
      const redisKey = this.redisKey(key)
      const replies = await this.connection.client.multi().get(redisKey).pttl(redisKey).exec()
      reply = [replies?.[0]?.[1] as string | null, replies?.[1]?.[1] as number]
    } catch (error) {
      this.connection.reportFailure(error)
      return undefined
    }
    const [payload, remainingMs] = reply
    if (payload === null || !(remainingMs > 0)) return undefined
    const entry = decodeCached(payload)
    if (entry === undefined) return undefined
    return { result: entry.result, storedAt: entry.storedAt, expiresAt: this.clock.now() + remainingMs }
  }

  async set (key: string, result: FetchResult, ttlMs: number): Promise<void> {
    if (ttlMs <= 0 || !this.connection.isConnected) return
    let payload: string
    try {
      payload = encodeCached(result, this.clock.now())
    } catch {
      // Not readable back exactly: better fetched again than shared approximately.
      return
    }
    try {
      await this.connection.client.set(this.redisKey(key), payload, 'PX', Math.ceil(ttlMs))
    } catch (error) {
      this.connection.reportFailure(error)
    }
  }

  private redisKey (key: string): string {
    return redisKeyOf(this.keyPrefix, 'cache', key)
  }
}
