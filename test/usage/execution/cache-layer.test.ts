import t from 'tap'
import { fixedClock } from '../../../src/clock.js'
import { UpstreamError } from '../../../src/errors.js'
import { CallCache } from '../../../src/usage/call-cache.js'
import { cacheLayer } from '../../../src/usage/execution/cache-layer.js'
import { callContext, type CallHandler } from '../../../src/usage/execution/call-layer.js'
import type { UpstreamCall } from '../../../src/usage/source-adapter.js'

const NOW = 10 * 86_400_000
const callEnding = (to: number): UpstreamCall => ({ key: `call-${to}`, window: { from: to - 3_600_000, to } }) as UpstreamCall
const context = () => callContext(new AbortController().signal)

function setup () {
  const clock = fixedClock(NOW)
  const cache = new CallCache(clock, 1024 * 1024)
  let calls = 0
  let hits = 0
  const next: CallHandler = async () => {
    calls++
    return { result: { records: [], requestId: `R${calls}` }, cachedAt: null }
  }
  const handler = cacheLayer({ cache, clock, settleDelayMs: 60_000, finalTtlMs: 1_000_000, provisionalTtlMs: 1_000, onHit: () => hits++ })(next)
  return { clock, cache, handler, calls: () => calls, hits: () => hits }
}

t.test('a miss goes on and is kept; the same call then comes from the cache with when it was fetched', async t => {
  const { clock, handler, calls, hits } = setup()
  const settled = callEnding(NOW - 120_000)
  t.same(await handler(settled, context()), { result: { records: [], requestId: 'R1' }, cachedAt: null })
  clock.set(NOW + 500)
  t.same(await handler(settled, context()), { result: { records: [], requestId: 'R1' }, cachedAt: NOW })
  t.equal(calls(), 1)
  t.equal(hits(), 1)
})

t.test('settled windows are kept for the final TTL, windows inside the data delay for the provisional one', async t => {
  const { clock, cache, handler } = setup()
  const settled = callEnding(NOW - 60_000)
  const provisional = callEnding(NOW - 59_999)
  await handler(settled, context())
  await handler(provisional, context())
  t.equal(cache.get(settled.key)?.expiresAt, NOW + 1_000_000)
  t.equal(cache.get(provisional.key)?.expiresAt, NOW + 1_000)
  clock.set(NOW + 1_000)
  t.equal(cache.get(provisional.key), undefined)
})

t.test('one result handed to several waiters is stored once', async t => {
  const clock = fixedClock(NOW)
  const cache = new CallCache(clock, 1024 * 1024)
  const shared = { result: { records: [], requestId: 'shared' }, cachedAt: null }
  const handler = cacheLayer({ cache, clock, settleDelayMs: 0 })(async () => shared)
  const call = callEnding(NOW - 1)
  await handler(call, context())
  clock.set(NOW + 5)
  // A second waiter of the same shared call, which the cache did not answer because it was asked before the store.
  await handler(call, context())
  t.equal(cache.get(call.key)?.storedAt, NOW, 'the first store stands: the answer has not been refetched')
})

t.test('a failure is not kept', async t => {
  const clock = fixedClock(NOW)
  const cache = new CallCache(clock, 1024 * 1024)
  const handler = cacheLayer({ cache, clock, settleDelayMs: 0 })(async () => { throw new UpstreamError('UPSTREAM_SERVER', 'boom') })
  await t.rejects(handler(callEnding(NOW - 1), context()), { code: 'UPSTREAM_SERVER' })
  t.equal(cache.size, 0)
})

t.test('a fresh call (a ledger recheck) is never answered from the cache, and refreshes it with what it got', async t => {
  const { handler, calls, hits } = setup()
  const settled = callEnding(NOW - 120_000)
  await handler(settled, context())
  const fresh = await handler(settled, callContext(new AbortController().signal, Number.POSITIVE_INFINITY, true))
  t.same(fresh, { result: { records: [], requestId: 'R2' }, cachedAt: null })
  t.equal(calls(), 2)
  t.equal(hits(), 0)
  t.same(await handler(settled, context()), { result: { records: [], requestId: 'R2' }, cachedAt: NOW }, 'later calls see the fresh answer')
})
