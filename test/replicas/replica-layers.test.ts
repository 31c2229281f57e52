import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { sharedCacheLayer, sharedCoalescingLayer } from '../../src/replicas/replica-layers.js'
import { SharedCallCache } from '../../src/replicas/shared-call-cache.js'
import { SharedCoalescer } from '../../src/replicas/shared-coalescer.js'
import type { FetchResult } from '../../src/usage/source-adapter.js'
import { cleanUpKeys, openConnection, skipWithoutRedis, uniquePrefix } from '../support/redis-test-support.js'

const now = 1_764_806_400_000
const answer: FetchResult = {
  records: [{ metric: 'transcode.duration', start: now - 3_600_000, end: now, value: 4_503_599_627_370_497, dimensions: { tier: 'sd' } }],
  requestId: 'R-7'
}
const context = () => ({ signal: new AbortController().signal, attempt: 1 })

/** The handler below the layers: the provider, counting its calls. */
function upstream () {
  const counter = { calls: 0 }
  const handler = async (_call: { key: string, window: { from: number, to: number } }): Promise<{ result: FetchResult, cachedAt: number | null }> => {
    counter.calls++
    await sleep(100)
    return { result: structuredClone(answer), cachedAt: null }
  }
  return { counter, handler }
}

t.test('the replica layers around an executor', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('replica-layers')
  cleanUpKeys(t, keyPrefix)

  t.test('coalescing: replicas asking for one call at once make it once', async t => {
    const { counter, handler } = upstream()
    const replicas = await Promise.all([1, 2, 3].map(async () => sharedCoalescingLayer(new SharedCoalescer(await openConnection(t), { keyPrefix }))(handler)))
    const call = { key: 'source|window|grid', window: { from: now - 3_600_000, to: now } }
    const executed = await Promise.all(replicas.map(async replica => await replica(call, context())))
    t.equal(counter.calls, 1)
    for (const each of executed) t.strictSame(each, { result: answer, cachedAt: null })
  })

  t.test('cache: a provisional answer one replica fetched is another\'s, with its age; a settled one is not shared', async t => {
    const clock = fixedClock(now)
    const { counter, handler } = upstream()
    const [first, second] = await Promise.all([1, 2].map(async () =>
      sharedCacheLayer({ cache: new SharedCallCache(await openConnection(t), clock, { keyPrefix }), clock, settleDelayMs: 7_200_000 })(handler)))
    const provisional = { key: 'source|today', window: { from: now - 3_600_000, to: now } }
    t.strictSame(await first!(provisional, context()), { result: answer, cachedAt: null })
    clock.set(now + 5_000)
    t.strictSame(await second!(provisional, context()), { result: answer, cachedAt: now }, 'from Redis, stored five seconds ago')
    t.equal(counter.calls, 1)

    const settled = { key: 'source|last-month', window: { from: now - 40 * 86_400_000, to: now - 10 * 86_400_000 } }
    await first!(settled, context())
    await second!(settled, context())
    t.equal(counter.calls, 3, 'settled answers stay in each replica\'s own cache')
  })

  t.test('cache: a fresh call (a ledger recheck) asks the provider even when another replica\'s answer is there', async t => {
    const clock = fixedClock(now)
    const { counter, handler } = upstream()
    const [first, second] = await Promise.all([1, 2].map(async () =>
      sharedCacheLayer({ cache: new SharedCallCache(await openConnection(t), clock, { keyPrefix }), clock, settleDelayMs: 7_200_000 })(handler)))
    const provisional = { key: 'source|fresh-today', window: { from: now - 3_600_000, to: now } }
    await first!(provisional, context())
    t.strictSame(await second!(provisional, { ...context(), fresh: true }), { result: answer, cachedAt: null })
    t.equal(counter.calls, 2)
  })
})
