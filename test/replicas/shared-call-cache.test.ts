import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { SharedCallCache } from '../../src/replicas/shared-call-cache.js'
import { redisKeyOf } from '../../src/replicas/redis-keys.js'
import type { FetchResult } from '../../src/usage/source-adapter.js'
import { cleanUpKeys, openConnection, openDeadConnection, skipWithoutRedis, uniquePrefix } from '../support/redis-test-support.js'

const answer: FetchResult = {
  records: [
    { metric: 'live.producer.duration', start: 1_764_547_200_000, end: 1_764_633_600_000, value: Number.MAX_SAFE_INTEGER, dimensions: { instance: 'studio-1' } },
    { metric: 'live.producer.duration', start: 1_764_633_600_000, end: 1_764_720_000_000, value: Number.MAX_SAFE_INTEGER - 1, dimensions: { instance: 'studio-1' } },
    { metric: 'live.producer.duration', start: 1_764_720_000_000, end: 1_764_806_400_000, value: 0, dimensions: {} }
  ],
  requestId: null
}

t.test('provisional answers shared between replicas', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('shared-call-cache')
  cleanUpKeys(t, keyPrefix)

  t.test('what one replica stores another reads back exactly, with when it was stored', async t => {
    const writerClock = fixedClock(1_764_806_400_123)
    const writer = new SharedCallCache(await openConnection(t), writerClock, { keyPrefix })
    const readerClock = fixedClock(1_764_806_401_000)
    const reader = new SharedCallCache(await openConnection(t), readerClock, { keyPrefix })
    await writer.set('source-a|window|grid', answer, 60_000)
    const cached = await reader.get('source-a|window|grid')
    t.strictSame(cached?.result, answer)
    t.equal(cached?.result.records[0]?.value, 9_007_199_254_740_991)
    t.equal(cached?.storedAt, 1_764_806_400_123)
    t.ok(cached!.expiresAt > readerClock.now() && cached!.expiresAt <= readerClock.now() + 60_000)
    t.equal(await reader.get('source-a|other-window|grid'), undefined, 'another call key is another entry')
  })

  t.test('entries expire with their TTL', async t => {
    const cache = new SharedCallCache(await openConnection(t), fixedClock(0), { keyPrefix })
    await cache.set('short-lived', answer, 50)
    await new Promise(resolve => setTimeout(resolve, 300))
    t.equal(await cache.get('short-lived'), undefined)
    await cache.set('never-stored', answer, 0)
    t.equal(await cache.get('never-stored'), undefined)
  })

  t.test('what cannot be read back exactly is a miss, never a guess', async t => {
    const connection = await openConnection(t)
    const cache = new SharedCallCache(connection, fixedClock(0), { keyPrefix })
    await connection.client.set(redisKeyOf(keyPrefix, 'cache', 'tampered'), JSON.stringify({ storedAt: 0, result: { records: [{ ...answer.records[0], value: 1.5 }], requestId: null } }), 'PX', 60_000)
    t.equal(await cache.get('tampered'), undefined)
    await cache.set('unsafe', { records: [{ ...answer.records[0]!, value: 2 ** 53 }], requestId: null }, 60_000)
    t.equal(await cache.get('unsafe'), undefined, 'a value past 2^53 - 1 is not stored')
  })

  t.test('without Redis: a miss, and writes are dropped', async t => {
    const connection = await openDeadConnection(t)
    const cache = new SharedCallCache(connection, fixedClock(0), { keyPrefix })
    await cache.set('anything', answer, 60_000)
    t.equal(await cache.get('anything'), undefined)
  })
})
