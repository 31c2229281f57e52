/**
 * The ledger across processes' lifetimes and replicas, through real HTTP in front of a simulated provider: a
 * restart on the same store answers the same numbers without calling anyone, and two runtimes on one PostgreSQL
 * writing the same buckets at once keep one revision of each, with no error to either caller.
 */
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { parseStoreUrl } from '../../src/ledger/index.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { ledgerVariantKey } from '../../src/usage/call-keys.js'
import { DAY, HOURLY_UTC } from '../support/fake-adapter.js'
import { startTestService } from '../support/test-service.js'
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, forEachBackend, postgresBackend } from './support/ledger-backends.js'
import { SOURCE_ID, hourlyData, startLedgerService, valuesOf } from './support/ledger-service.js'

const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const QUERY = '/usage?from=2026-11-01&to=2026-11-08&granularity=hour&groupBy=region'

forEachBackend(t, { memory: false }, async (t, backend) => {
  const ledger = { location: parseStoreUrl(backend.url), schema: backend.schema }
  let first: Awaited<ReturnType<Awaited<ReturnType<typeof startTestService>>['getUsage']>>['json'] | undefined

  await t.test('first process: fetched from the provider and kept', async t => {
    let attempts = 0
    const service = await startTestService(t, [studio], { ledger, onCall: () => { attempts++ } })
    const { status, json } = await service.getUsage(QUERY)
    t.equal(status, 200)
    t.same([json.complete, json.final, json.sources[0]?.ledgerBuckets], [true, true, 0])
    t.ok(attempts > 0 && json.sources[0]!.calls === attempts)
    t.ok(json.series.some(series => series.total! > 0), 'not only zeros', { found: json.series.map(series => series.total) })
    first = json
  })

  await t.test('restarted on the same store: identical values, 0 upstream calls', async t => {
    let attempts = 0
    const service = await startTestService(t, [studio], { ledger, onCall: () => { attempts++ } })
    const { status, json } = await service.getUsage(QUERY)
    t.equal(status, 200)
    t.equal(attempts, 0, 'no upstream call')
    t.same([json.sources[0]?.calls, json.sources[0]?.cachedCalls], [0, 0])
    // Seven days fit one call: the first process made one call per variant, each for 168 hours.
    t.equal(json.sources[0]?.ledgerBuckets, 7 * 24 * first!.sources[0]!.calls, 'every hour of every variant from the ledger')
    t.same(json.series, first!.series, 'the very same series, points and totals')
    t.same([json.complete, json.final, json.warnings], [first!.complete, first!.final, first!.warnings])
  })
})

t.test('two runtimes on one PostgreSQL writing the same buckets at once: one revision each, no error', { skip: POSTGRES_URL === '' ? POSTGRES_SKIP_MESSAGE : false }, async t => {
  const backend = postgresBackend()
  t.teardown(async () => { await backend.dispose() })
  const now = Date.parse('2026-11-20T10:30:00Z')
  const from = Date.parse('2026-11-10T00:00:00Z')
  const data = hourlyData(from, now)
  const ledger = { location: parseStoreUrl(backend.url), schema: backend.schema }
  const replicas = [
    await startLedgerService(t, { clock: fixedClock(now), ledger, data }),
    await startLedgerService(t, { clock: fixedClock(now), ledger, data })
  ]
  const query = '/usage?from=2026-11-10T00:00:00Z&to=2026-11-13T00:00:00Z&granularity=hour'
  for (let round = 0; round < 3; round++) {
    const answers = await Promise.all(replicas.map(async replica => await replica.usage(query)))
    t.same(valuesOf(answers[0]!), valuesOf(answers[1]!), `round ${round}: the same numbers from both`)
    t.same(answers.filter(answer => !(answer.complete && answer.warnings.length === 0)), [], `round ${round}: no warning, nothing lost`)
  }
  const store = await backend.open(fixedClock(now))
  t.teardown(() => store.close())
  const kept = await store.readRange({ sourceId: SOURCE_ID, variant: ledgerVariantKey(HOURLY_UTC, { parameters: {}, dimensions: {} }), from, to: from + 3 * DAY })
  t.equal(kept.length, 72, 'every hour kept')
  t.same(kept.filter(bucket => !(bucket.revision === 1)), [], 'once: no bucket doubled, no spurious revision')
  t.same(await store.verify(), [])
  t.match(await store.status([SOURCE_ID]), [{ buckets: 72, restatedBuckets: 0 }])
})
