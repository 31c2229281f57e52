/** Bounded work: range, upstream calls and points per request, each a 400 QUERY_TOO_LARGE saying how to narrow the query. */
import t, { type Test } from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { startTestService } from '../support/test-service.js'

const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
type Service = Awaited<ReturnType<typeof startTestService>>

async function expectTooLarge (t: Test, service: Service, path: string, message: RegExp, callsMade: number) {
  const simulator = service.simulators.studio!
  simulator.stats.reset()
  const response = await service.getError(path)
  t.equal(response.status, 400, path)
  t.equal(response.json.error.code, 'QUERY_TOO_LARGE', path)
  t.match(response.json.error.message, message, path)
  t.ok(response.json.error.requestId)
  t.equal(simulator.stats.count(), callsMade, `${path}: ${callsMade} upstream calls`)
  return response.json.error
}

t.test('a range longer than the bound is refused before any call, and says to split it', async t => {
  const service = await startTestService(t, [studio], { limits: { maxRangeMs: 70 * 86_400_000 } })
  const error = await expectTooLarge(t, service, '/usage?from=2026-08-01&to=2026-10-15', /spans 75 days; at most 70 days .*split the range/, 0)
  t.match(error.details, [{ parameter: 'from,to', days: 75, maxDays: 70 }])
  t.equal((await service.get('/usage?from=2026-09-01&to=2026-11-09')).status, 200, '69 days is fine')
})

t.test('more planned upstream calls than the bound are refused before any call, per source', async t => {
  const service = await startTestService(t, [studio], { limits: { maxUpstreamCalls: 2 } })
  t.equal((await service.get('/usage?from=2026-09-15&to=2026-11-16')).status, 200, '62 days are 2 calls')
  const error = await expectTooLarge(t, service, '/usage?from=2026-08-25&to=2026-11-01', /needs 3 upstream calls \(studio: 3\); at most 2 .*narrow from\/to/, 0)
  t.match(error.details, [{ upstreamCalls: 3, maxUpstreamCalls: 2, perSource: [{ source: 'studio', calls: 3 }] }])
  await expectTooLarge(t, service, '/usage?from=2026-11-01&to=2026-11-03&app=a,b,c', /needs 3 upstream calls.*filter fewer values/, 0)
})

t.test('points: estimated before calling when series are known in advance, counted after merging otherwise', async t => {
  const service = await startTestService(t, [studio], { limits: { maxPoints: 100 }, cache: false })
  // 5 days of hours × 2 metrics = 240 points, known before any call.
  const estimated = await expectTooLarge(t, service, '/usage?from=2026-11-01&to=2026-11-06&granularity=hour', /240 points \(2 series × 120 buckets\); at most 100 .*coarser granularity/, 0)
  t.match(estimated.details, [{ points: 240, series: 2, buckets: 120, maxPoints: 100 }])
  await expectTooLarge(t, service, '/usage?from=2026-11-01&to=2026-11-06&granularity=hour&groupBy=source', /240 points/, 0)
  // By tier, the series exist only once the provider has answered: 6 series × 20 days = 120 points.
  const merged = await expectTooLarge(t, service, '/usage?from=2026-10-20&to=2026-11-09&groupBy=tier', /120 points \(6 series × 20 buckets\).*group by fewer dimensions/, 1)
  t.match(merged.details, [{ points: 120, series: 6 }])
  t.equal((await service.get('/usage?from=2026-11-01&to=2026-11-08&groupBy=tier')).status, 200, '42 points are fine')
})

t.test('the bucket bound still applies per series', async t => {
  const small = await startTestService(t, [studio], { limits: { maxBuckets: 48 } })
  const response = await small.getError('/usage?from=2026-11-01&to=2026-11-04&granularity=hour')
  t.equal(response.status, 400)
  t.equal(response.json.error.code, 'QUERY_TOO_LARGE')
  t.match(response.json.error.message, /72 hour buckets; at most 48/)
})
