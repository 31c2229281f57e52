import t from 'tap'
import { ConfigError } from '../../src/config/config-error.js'
import { DEFAULT_STORE_URL, parseStoreUrl } from '../../src/ledger/index.js'
import { parseStoreSetting } from '../../src/ledger/store-url.js'
import { fixedClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config/load-config.js'
import { UsageMetrics } from '../../src/observability/usage-metrics.js'
import { createRuntime } from '../../src/runtime.js'

t.test('unset or blank means the embedded default under the working directory', async t => {
  t.equal(DEFAULT_STORE_URL, 'pglite:./data/ledger')
  t.same(parseStoreUrl(undefined, '/srv/usage'), { kind: 'pglite', dataDir: '/srv/usage/data/ledger', description: 'pglite:/srv/usage/data/ledger' })
  t.same(parseStoreUrl('  ', '/srv/usage'), parseStoreUrl(undefined, '/srv/usage'))
})

t.test('the three forms', async t => {
  t.same(parseStoreUrl('memory:'), { kind: 'memory', description: 'memory:' })
  t.same(parseStoreUrl('pglite:/var/lib/usage', '/srv'), { kind: 'pglite', dataDir: '/var/lib/usage', description: 'pglite:/var/lib/usage' })
  const postgres = parseStoreUrl('postgres://usage:s3cret@db.internal:5432/usage')
  t.same(postgres, { kind: 'postgres', connectionString: 'postgres://usage:s3cret@db.internal:5432/usage', description: 'postgres://usage:***@db.internal:5432/usage' })
  t.equal(parseStoreUrl('postgresql://db/usage').kind, 'postgres')
})

t.test('anything else is a configuration error naming USAGE_STORE_URL, never showing a password', async t => {
  for (const value of ['mysql://a:hunter22@b/c', 'sqlite:./x.db', 'pglite:', 'pglite://x', 'postgres://', 'postgres://db.internal', 'memory', './data/ledger']) {
    let caught: unknown
    try {
      parseStoreUrl(value)
    } catch (error) {
      caught = error
    }
    t.ok(caught instanceof ConfigError, `${value} is refused`)
    t.equal((caught as ConfigError).variable, 'USAGE_STORE_URL')
    t.match((caught as ConfigError).message, /^USAGE_STORE_URL: /)
    t.notMatch((caught as ConfigError).message, /hunter22/)
  }
})

t.test('none keeps no ledger: the service is a pass-through and its runtime holds no store', async t => {
  t.equal(parseStoreSetting('none'), null)
  t.equal(parseStoreSetting(' none '), null)
  t.same(parseStoreSetting('memory:'), parseStoreUrl('memory:'), 'every other value is a store')
  t.throws(() => parseStoreSetting('nothing'), /USAGE_STORE_URL/)
  const config = loadConfig({ USAGE_STORE_URL: 'none' })
  t.equal(config.store, null)
  const runtime = await createRuntime({ config, clock: fixedClock(Date.parse('2026-11-20T00:00:00Z')), overrides: { sources: [], metrics: new UsageMetrics() } })
  t.teardown(() => runtime.close())
  t.equal(runtime.ledger, null)
})
