/**
 * The ledger going away is never an outage: unreachable at boot or mid-request, the service stays ready (and says
 * it is degraded), and /usage answers 200 from the providers with a ledger_unavailable warning.
 */
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { parseStoreUrl } from '../../src/ledger/index.js'
import { DAY } from '../support/fake-adapter.js'
import { memoryBackend } from './support/ledger-backends.js'
import { hourlyData, startLedgerService, valuesOf } from './support/ledger-service.js'

const NOW = Date.parse('2026-11-20T10:30:00Z')
const FROM = Date.parse('2026-11-18T00:00:00Z')
const QUERY = '/usage?from=2026-11-18T00:00:00Z&to=2026-11-19T00:00:00Z&granularity=hour'

t.test('unreachable at boot: ready but degraded, answers from the provider with LEDGER_UNAVAILABLE', async t => {
  const clock = fixedClock(NOW)
  // Nothing listens on port 1: the connection is refused at once.
  const location = parseStoreUrl('postgres://usage:hunter2@127.0.0.1:1/ledger')
  const service = await startLedgerService(t, { clock, ledger: { location }, data: hourlyData(FROM - DAY, NOW) })
  const ready = await service.get('/readyz')
  t.equal(ready.status, 200)
  t.match(ready.json, { status: 'ready', degraded: true, ledger: 'unavailable', ledgerReason: /ECONNREFUSED|connect/ })
  t.notMatch(JSON.stringify(ready.json), /hunter2/, 'the password is never shown')

  const answer = await service.usage(QUERY)
  t.same([answer.complete, answer.final, answer.sources[0]?.status, answer.sources[0]?.ledgerBuckets], [true, true, 'ok', 0])
  t.same(answer.series[0]!.points.filter(point => !(point.value !== null)), [], 'every hour from the provider')
  const warnings = answer.warnings.filter(warning => warning.type === 'ledger_unavailable')
  t.equal(warnings.length, 1)
  t.match(warnings[0]!.message, /answered from the providers/)
  t.notMatch(JSON.stringify(answer), /hunter2/)

  const asOf = await service.usage(`${QUERY}&asOf=2026-11-20T00:00:00Z`)
  t.same(asOf.series.flatMap(series => series.points.filter(point => !(point.value === null))), [], 'as of an instant, only the ledger could answer: null')
  t.ok(asOf.warnings.some(warning => warning.type === 'ledger_unavailable'), 'warned', { found: asOf.warnings })

  const catalog = await service.getCatalog()
  t.equal(catalog.status, 200)
  t.match(catalog.json.ledger, { status: 'unavailable', reason: /./ })
})

t.test('gone mid-request: the answer is whole, the write is lost with a warning, the next query still answers', async t => {
  const clock = fixedClock(NOW)
  const store = await memoryBackend().open(clock)
  let closeDuringCall = true
  const service = await startLedgerService(t, {
    clock,
    ledger: store,
    data: hourlyData(FROM - DAY, NOW),
    beforeAnswer: async () => {
      if (!closeDuringCall) return
      closeDuringCall = false
      await store.close()
    }
  })
  const first = await service.usage(QUERY)
  t.same([first.complete, first.final], [true, true])
  t.match(first.warnings, [{ type: 'ledger_unavailable', source: null, message: /could not be kept/ }])

  const second = await service.usage(QUERY)
  t.same(valuesOf(second), valuesOf(first), 'the same numbers, from the provider')
  t.match(second.warnings, [{ type: 'ledger_unavailable', message: /could not be read/ }])
  const ready = await service.get('/readyz')
  t.match(ready.json, { status: 'ready', degraded: true, ledger: 'unavailable' })
})

t.test('a bad USAGE_STORE_URL is a boot error naming the variable', async t => {
  const { loadConfig } = await import('../../src/config/load-config.js')
  t.throws(() => loadConfig({ USAGE_STORE_URL: 'mysql://localhost/usage' }), /^USAGE_STORE_URL: unsupported form/)
  t.throws(() => loadConfig({ USAGE_STORE_URL: 'pglite:' }), /^USAGE_STORE_URL: /)
  t.match(loadConfig({}).store, { kind: 'pglite', dataDir: /data\/ledger$/ }, 'unset: PGlite under ./data/ledger')
  t.match(loadConfig({ USAGE_STORE_URL: 'memory:' }).store, { kind: 'memory' })
})
