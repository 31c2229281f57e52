import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { redisKeyOf } from '../../src/replicas/redis-keys.js'
import { sharedCacheLayer, sharedCacheLookupLayer, sharedCoalescingLayer } from '../../src/replicas/replica-layers.js'
import { SharedCallCache } from '../../src/replicas/shared-call-cache.js'
import { SharedCoalescer } from '../../src/replicas/shared-coalescer.js'
import type { CachedAnswer } from '../../src/usage/call-cache.js'
import { callKey } from '../../src/usage/call-keys.js'
import { createSourceExecutor } from '../../src/usage/source-executor.js'
import type { FetchResult } from '../../src/usage/source-adapter.js'
import { fakeAdapter, fakeSource } from '../support/fake-adapter.js'
import { cleanUpKeys, openConnection, skipWithoutRedis, uniquePrefix } from '../support/redis-test-support.js'

const now = 1_764_806_400_000
const answer: FetchResult = {
  records: [{ metric: 'transcode.duration', start: now - 3_600_000, end: now, value: 4_503_599_627_370_497, dimensions: { tier: 'sd' } }],
  requestId: 'R-7'
}
const context = () => ({ signal: new AbortController().signal, attempt: 1 })

/** A shared cache counting its lookups. */
class CountedLookups extends SharedCallCache {
  lookups = 0

  override async get (key: string): Promise<CachedAnswer | undefined> {
    this.lookups++
    return await super.get(key)
  }
}

/** A shared cache whose next lookup, once answered, is held until the test lets it go. */
class HeldLookup extends SharedCallCache {
  private held: Promise<void> | null = null
  private onReached: () => void = () => {}

  holdNextLookup (): { reached: Promise<void>, release: () => void } {
    let release = (): void => {}
    this.held = new Promise(resolve => { release = resolve })
    const reached = new Promise<void>(resolve => { this.onReached = resolve })
    return { reached, release }
  }

  override async get (key: string): Promise<CachedAnswer | undefined> {
    const found = await super.get(key)
    const held = this.held
    if (held !== null) {
      this.held = null
      this.onReached()
      await held
    }
    return found
  }
}

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

  t.test('cache: an answer one replica fetched is another\'s, with its age, provisional or settled, each for its own time', async t => {
    const clock = fixedClock(now)
    const { counter, handler } = upstream()
    const connection = await openConnection(t)
    const [first, second] = await Promise.all([1, 2].map(async () =>
      sharedCacheLayer({ cache: new SharedCallCache(await openConnection(t), clock, { keyPrefix }), clock, settleDelayMs: 7_200_000, provisionalTtlMs: 60_000, settledTtlMs: 120_000 })(handler)))
    const provisional = { key: 'source|today', window: { from: now - 3_600_000, to: now } }
    t.strictSame(await first!(provisional, context()), { result: answer, cachedAt: null })
    clock.set(now + 5_000)
    t.strictSame(await second!(provisional, context()), { result: answer, cachedAt: now }, 'from Redis, stored five seconds ago')
    t.equal(counter.calls, 1)

    const settled = { key: 'source|last-month', window: { from: now - 40 * 86_400_000, to: now - 10 * 86_400_000 } }
    await first!(settled, context())
    t.strictSame(await second!(settled, context()), { result: answer, cachedAt: now + 5_000 })
    t.equal(counter.calls, 2, 'a settled answer is kept too, for the requests that read the ledger before it held it')
    const ttlOf = async (key: string) => await connection.client.pttl(redisKeyOf(keyPrefix, 'cache', key))
    t.ok(await ttlOf(provisional.key) <= 60_000, 'a provisional answer for a minute')
    t.ok(await ttlOf(settled.key) > 60_000, 'a settled one until the ledger holds it')
  })

  t.test('lookup: reads what another replica kept and never writes', async t => {
    const clock = fixedClock(now)
    const { counter, handler } = upstream()
    const cache = new SharedCallCache(await openConnection(t), clock, { keyPrefix })
    const lookup = sharedCacheLookupLayer({ cache })(handler)
    const call = { key: 'source|looked-up', window: { from: now - 3_600_000, to: now } }
    t.strictSame(await lookup(call, context()), { result: answer, cachedAt: null })
    t.equal(await cache.get(call.key), undefined, 'nothing kept by the lookup')
    await cache.set(call.key, answer, 60_000)
    t.strictSame(await lookup(call, context()), { result: answer, cachedAt: now })
    t.equal(counter.calls, 1)
  })

  t.test('executors: a request that looked before another replica kept the answer and asks for the call after its lease was given up makes no second call', async t => {
    // The interleaving, made explicit: replica B looks in the shared cache (nothing yet) and is held there; replica A
    // makes the call and gives its lease up; then B goes on. It leads the call, and finds A's answer under the lease.
    const clock = fixedClock(now)
    const adapter = fakeAdapter({ grids: 'any', settleDelayMs: 7_200_000, answer: () => structuredClone(answer) })
    const source = fakeSource('fake-late')
    const watcher = await openConnection(t)
    const replicasOf = async (cache: SharedCallCache) => ({ coalescer: new SharedCoalescer(await openConnection(t), { keyPrefix }), cache })
    // No budget and no HTTP: the fake adapter answers, and these two calls need no pacing.
    const executorOf = async (cache: SharedCallCache) => createSourceExecutor(source, adapter, { http: undefined as never, clock, budgets: false, replicas: await replicasOf(cache) })
    const first = await executorOf(new SharedCallCache(await openConnection(t), clock, { keyPrefix }))
    const heldCache = new HeldLookup(await openConnection(t), clock, { keyPrefix })
    const late = await executorOf(heldCache)
    const windows = {
      provisional: { from: now - 3_600_000, to: now },
      settled: { from: now - 40 * 86_400_000, to: now - 39 * 86_400_000 }
    }
    for (const [name, window] of Object.entries(windows)) {
      const before = adapter.calls.length
      const call = { window, grid: null, variant: { parameters: {}, dimensions: {} }, key: callKey(source.id, window, null, { parameters: {}, dimensions: {} }) }
      const looked = heldCache.holdNextLookup()
      const lateRun = late.run(call, new AbortController().signal)
      await looked.reached
      t.strictSame(await first.run(call, new AbortController().signal), { result: answer, cachedAt: null }, `${name}: the first replica calls`)
      // Its lease is given up once the call is over (the step is not awaited by the caller): wait for that, not for a time.
      while (await watcher.client.exists(redisKeyOf(keyPrefix, 'lease', call.key)) === 1) await sleep(10)
      looked.release()
      t.strictSame(await lateRun, { result: answer, cachedAt: now }, `${name}: the late request has the first replica's answer`)
      t.equal(adapter.calls.length - before, 1, `${name}: the provider saw one call`)
    }
  })

  t.test('executors: a replica looks a call up in Redis once, however many of its requests want it', async t => {
    // A cold query is about a hundred calls: a burst's requests each looking all of them up made Redis time out.
    const clock = fixedClock(now)
    const adapter = fakeAdapter({ grids: 'any', settleDelayMs: 7_200_000, answer: () => structuredClone(answer) })
    const source = fakeSource('fake-lookups')
    const cache = new CountedLookups(await openConnection(t), clock, { keyPrefix })
    const executor = createSourceExecutor(source, adapter, {
      http: undefined as never, clock, budgets: false, replicas: { coalescer: new SharedCoalescer(await openConnection(t), { keyPrefix }), cache }
    })
    const window = { from: now - 3_600_000, to: now }
    const variant = { parameters: {}, dimensions: {} }
    const call = { window, grid: null, variant, key: callKey(source.id, window, null, variant) }
    const executed = await Promise.all(Array.from({ length: 5 }, async () => await executor.run(call, new AbortController().signal)))
    t.same(executed.map(each => each.result), Array.from({ length: 5 }, () => answer))
    t.equal(adapter.calls.length, 1)
    t.equal(cache.lookups, 2, 'one lookup for the five requests, and one under the lease')
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
