import t from 'tap'
import { ConfigError } from '../../src/config/config-error.js'
import { concurrencyShare, parseRedisUrl, qpsShare } from '../../src/replicas/redis-settings.js'

t.test('USAGE_REDIS_URL', async t => {
  t.equal(parseRedisUrl(undefined), null)
  t.equal(parseRedisUrl('  '), null)
  t.equal(parseRedisUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379')
  t.equal(parseRedisUrl('rediss://user:pass@cache.internal:6380/2'), 'rediss://user:pass@cache.internal:6380/2')
  for (const value of ['127.0.0.1:6379', 'http://cache:6379', 'redis://cache:6379/zero', 'not a url']) {
    t.throws(() => parseRedisUrl(value), ConfigError, value)
  }
  const error = t.throws(() => parseRedisUrl('http://user:hunter2@cache:6379')) as ConfigError
  t.equal(error.variable, 'USAGE_REDIS_URL')
  t.match(error.message, /^USAGE_REDIS_URL: /)
  t.notMatch(error.message, /hunter2/, 'the password is not repeated')
})

t.test('shares of a budget never add up to more than the budget', async t => {
  t.equal(qpsShare(10, 3), 3)
  t.equal(qpsShare(5, 1), 5)
  t.equal(qpsShare(2, 4), 0.5, 'below one call a second the share stays fractional')
  t.equal(concurrencyShare(10, 3), 3)
  t.equal(concurrencyShare(2, 4), 1, 'at least one call in flight')
  for (let qps = 1; qps <= 20; qps++) {
    for (let replicas = 1; replicas <= 8; replicas++) t.ok(qpsShare(qps, replicas) * replicas <= qps, `${qps} QPS over ${replicas}`)
  }
})
