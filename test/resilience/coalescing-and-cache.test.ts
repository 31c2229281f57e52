/** Bursts, the account's QPS budget, coalescing and the answer cache, counted at the simulator. */
import t from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { TEST_NOW, startTestService } from '../support/test-service.js'

const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }

t.test('200 concurrent identical cold requests make the upstream calls of one request', async t => {
  const service = await startTestService(t, [studio])
  const simulator = service.simulators.studio!
  const responses = await Promise.all(Array.from({ length: 200 }, () => service.getUsage('/usage?from=2026-09-15&to=2026-11-16')))
  t.same(responses.filter(response => !(response.status === 200 && response.json.complete)), [])
  t.equal(new Set(responses.map(response => JSON.stringify(response.json.series))).size, 1, 'every caller got the same answer')
  t.equal(simulator.stats.count(), 2, 'a 62-day query is 2 calls, made once for all 200')
})

t.test('many concurrent queries never make a 5-QPS provider throttle', async t => {
  const service = await startTestService(t, [studio], { cache: false })
  const simulator = service.simulators.studio!
  const queries = Array.from({ length: 24 }, (_, index) => `/usage?from=2026-10-${String(index + 1).padStart(2, '0')}&to=2026-11-${String((index % 10) + 10)}&groupBy=${index % 2 ? 'type' : 'tier'}`)
  const responses = await Promise.all(queries.map(query => service.getUsage(query)))
  t.same(responses.filter(response => !(response.json.complete)), [], 'every answer complete')
  t.ok(simulator.stats.count() >= 24)
  t.equal(simulator.stats.throttled(), 0, 'the simulator refused nothing')
  t.ok(simulator.stats.maxCallsPerSecond() <= 5, `at most 5 calls in any second (saw ${simulator.stats.maxCallsPerSecond()})`)
})

t.test('final buckets come from the cache; a provisional window is refetched only after the short TTL', async t => {
  const service = await startTestService(t, [studio])
  const simulator = service.simulators.studio!
  const settled = '/usage?from=2026-10-01&to=2026-10-15'
  t.equal((await service.getUsage(settled)).json.cacheAgeSeconds, null)
  const first = simulator.stats.count()
  service.clock.set(TEST_NOW + 30_000)
  const again = await service.getUsage(settled)
  t.equal(simulator.stats.count(), first, 'no upstream call the second time')
  t.equal(again.json.sources[0]?.cachedCalls, 1)
  t.equal(again.json.cacheAgeSeconds, 30)
  t.equal(again.headers['x-usage-cache-age'], '30')

  // 40 days up to today: one settled 31-day window and one window with provisional buckets.
  simulator.stats.reset()
  service.clock.set(TEST_NOW)
  const recent = '/usage?from=2026-10-12&to=2026-11-21'
  await service.get(recent)
  t.equal(simulator.stats.count(), 2)
  service.clock.set(TEST_NOW + 30_000)
  await service.get(recent)
  t.equal(simulator.stats.count(), 2, 'inside the provisional TTL: nothing refetched')
  service.clock.set(TEST_NOW + 61_000)
  const refreshed = await service.getUsage(recent)
  t.equal(simulator.stats.count(), 3, 'after it: only the provisional window')
  t.equal(simulator.stats.calls[2]!.parameters.StartTime, '2026-11-12T00:00:00Z')
  t.equal(refreshed.json.sources[0]?.cachedCalls, 1)
})

t.test('a different zone plans different windows and never reuses a wrong bucket', async t => {
  const service = await startTestService(t, [studio])
  const utc = await service.getUsage('/usage?from=2026-11-01&to=2026-11-03')
  const shanghai = await service.getUsage('/usage?from=2026-11-01&to=2026-11-03&tz=Asia/Shanghai')
  t.equal(shanghai.json.sources[0]?.cachedCalls, 0)
  t.not(utc.json.series[0]?.points[0]?.value, shanghai.json.series[0]?.points[0]?.value)
})

t.test('/metrics exposes calls, latency, throttles, retries, cache and requests', async t => {
  const service = await startTestService(t, [studio])
  await service.get('/usage?from=2026-11-01&to=2026-11-03')
  await service.get('/usage?from=2026-11-01&to=2026-11-03')
  const response = await service.get('/metrics')
  t.equal(response.status, 200)
  for (const name of ['usage_service_upstream_calls_total{source="studio",kind="aliyun.live-producer",outcome="ok"} 1',
    'usage_service_upstream_call_duration_seconds_bucket', 'usage_service_upstream_throttled_total', 'usage_service_upstream_retries_total',
    'usage_service_cache_lookups_total{source="studio",kind="aliyun.live-producer",result="hit"} 1', 'usage_service_http_requests_in_flight',
    'usage_service_http_request_duration_seconds_bucket{le="0.005",route="/usage",status="200"}']) {
    t.match(response.text, name, name)
  }
})

t.test('a joined call is cancelled only when every caller gave up: a short deadline never fails a longer one', async t => {
  const service = await startTestService(t, [studio])
  const simulator = service.simulators.studio!
  simulator.faults.inject({ kind: 'slow', delayMs: 1500 })
  const [hurried, patient] = await Promise.all([
    service.getUsage('/usage?from=2026-11-01&to=2026-11-03&timeout=1'),
    service.getUsage('/usage?from=2026-11-01&to=2026-11-03&timeout=30')
  ])
  t.same([hurried.status, hurried.json.complete, hurried.json.sources[0]?.error?.code], [200, false, 'DEADLINE_EXCEEDED'], 'the hurried one gets what it had: nothing')
  t.equal(patient.status, 200)
  t.equal(patient.json.complete, true)
  t.equal(simulator.stats.count(), 1)
})

t.test('a repeated query within one second is served from the rendered answer, byte for byte', async t => {
  const service = await startTestService(t, [studio])
  const query = '/usage?from=2026-10-01&to=2026-10-15&groupBy=tier'
  const first = await service.getUsage(query)
  const second = await service.getUsage(query)
  const third = await service.get(query + '&timeout=20')
  t.equal(first.json.sources[0]?.calls, 1)
  t.equal(second.json.sources[0]?.cachedCalls, 1)
  t.equal(third.text, second.text, 'the deadline does not change a complete answer')
  const metrics = (await service.get('/metrics')).text
  t.match(metrics, 'usage_service_cache_lookups_total{source="studio",kind="aliyun.live-producer",result="hit"} 1', 'the third request did not even look up the call cache')
  service.clock.set(TEST_NOW + 1_000)
  const later = await service.getUsage(query)
  t.equal(later.json.cacheAgeSeconds, 1, 'the next second is computed again')
})
