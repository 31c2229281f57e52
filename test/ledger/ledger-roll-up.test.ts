/**
 * Roll-up: a kind that declares the finest variant it keeps (live producer: split by every split key) answers any
 * grouping and filter by those keys from that one variant in the ledger, exactly as its own variants would.
 */
import t from 'tap'
import { parseStoreUrl } from '../../src/ledger/index.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { startTestService } from '../support/test-service.js'

const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const RANGE = 'from=2026-11-01&to=2026-11-08&granularity=day'

t.test('one kept variant answers every grouping and filter by its keys, equal to the exact variants', async t => {
  let attempts = 0
  const kept = await startTestService(t, [studio], { ledger: { location: parseStoreUrl('memory:') }, onCall: () => { attempts++ } })
  const exact = await startTestService(t, [studio])

  const first = await kept.getUsage(`/usage?${RANGE}&groupBy=region`)
  t.equal(first.status, 200)
  t.equal(attempts, 1, 'seven days: one call, for the kept variant')

  const queries = [
    '',
    '&groupBy=domain',
    '&groupBy=region,type,tier',
    '&groupBy=instance&metrics=transcode.duration',
    `&region=${encodeURIComponent(first.json.series.find(series => series.dimensions.region !== null)!.dimensions.region!)}&groupBy=domain`
  ]
  for (const query of queries) {
    const rolled = await kept.getUsage(`/usage?${RANGE}${query}`)
    const direct = await exact.getUsage(`/usage?${RANGE}${query}`)
    t.equal(attempts, 1, `${query || 'no grouping'}: no further upstream call`)
    t.equal(rolled.json.sources[0]?.ledgerBuckets, 7 * 24, `${query || 'no grouping'}: every hour from the ledger`)
    t.same(rolled.json.series, direct.json.series, `${query || 'no grouping'}: the same series as the exact variants`)
    t.same([rolled.json.complete, rolled.json.final], [direct.json.complete, direct.json.final])
  }
  t.ok(first.json.series.some(series => series.total! > 0), 'not only zeros', { found: first.json.series.map(series => series.total) })

  // app is no key of the kept variant: the query fetches its own variant.
  const byApp = await kept.getUsage(`/usage?${RANGE}&app=app-1`)
  t.equal(byApp.status, 200)
  t.equal(attempts, 2, 'an app filter needs its own call')
  t.equal(byApp.json.sources[0]?.ledgerBuckets, 0)
})
