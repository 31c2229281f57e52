import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { UpstreamError } from '../../src/errors.js'
import { CallCache } from '../../src/usage/call-cache.js'
import { isRetryable, retryDelayMs } from '../../src/usage/retry-policy.js'

const policy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 1000 }

t.test('backoff doubles with jitter inside [half, full], is capped, and never undercuts x-acs-retry-after', async t => {
  const error = new UpstreamError('UPSTREAM_SERVER', 'x')
  t.same([1, 2, 3, 4, 5].map(attempt => retryDelayMs(attempt, error, policy, () => 0)), [100, 200, 400, 500, 500])
  t.same([1, 2, 3, 4, 5].map(attempt => retryDelayMs(attempt, error, policy, () => 1)), [200, 400, 800, 1000, 1000])
  t.equal(retryDelayMs(1, new UpstreamError('UPSTREAM_THROTTLED', 'x', { retryAfterMs: 2500 }), policy, () => 0), 2500)
})

t.test('only throttling, 5xx, timeouts and network failures retry', async t => {
  t.ok(isRetryable(new UpstreamError('UPSTREAM_THROTTLED', 'x')))
  t.ok(isRetryable(new UpstreamError('UPSTREAM_NETWORK', 'x')))
  t.notOk(isRetryable(new UpstreamError('UPSTREAM_AUTH', 'x')))
  t.notOk(isRetryable(new UpstreamError('UPSTREAM_MALFORMED', 'x')))
  t.notOk(isRetryable(new Error('x')))
})

t.test('the cache expires on the service clock and stays within its memory bound', async t => {
  const clock = fixedClock(1_000)
  const cache = new CallCache(clock, 10_000)
  const result = { records: [], requestId: null }
  cache.set('a', result, 500)
  t.equal(cache.get('a')?.storedAt, 1_000)
  clock.set(1_499)
  t.ok(cache.get('a'))
  clock.set(1_500)
  t.equal(cache.get('a'), undefined)
  const big = { records: Array.from({ length: 20 }, (_, index) => ({ metric: 'm', start: index, end: index + 1, value: 1, dimensions: {} })), requestId: null }
  for (let index = 0; index < 10; index++) cache.set(`big-${index}`, big, 60_000)
  t.ok(cache.size < 10, 'older entries were evicted to stay under the bound')
  t.ok(cache.get('big-9'), 'the newest stays')
  cache.set('zero', result, 0)
  t.equal(cache.get('zero'), undefined, 'a zero TTL is not cached')
})
