/** Retries, deadlines and partial answers against the simulated production-studio API, through the whole service. */
import t from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { startTestService } from '../support/test-service.js'

const RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 }
const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const QUERY = '/usage?from=2026-11-01&to=2026-11-08&tz=Asia/Shanghai'

t.test('throttling and 5xx bursts are retried, fresh-signed, and the answer is complete', async t => {
  const service = await startTestService(t, [studio], { retry: RETRY, cache: false })
  const simulator = service.simulators.studio!
  simulator.faults.inject({ kind: 'throttle' }, 2)
  simulator.faults.inject({ kind: 'server-error', status: 503 })
  const response = await service.getUsage(QUERY)
  t.equal(response.json.complete, true)
  t.equal(simulator.stats.count(), 4, 'three refusals, then the answer')
  t.same(simulator.stats.calls.map(call => call.code), ['Throttling.User', 'Throttling.User', 'ServiceUnavailable', null])
  t.equal(response.json.sources[0]!.calls, 1, 'one logical call, retried')
  t.match(await (await fetch(service.url + '/metrics')).text(), /usage_service_upstream_retries_total\{source="studio",kind="aliyun.live-producer"\} 3/)
})

t.test('x-acs-retry-after is honoured', async t => {
  const service = await startTestService(t, [studio], { retry: RETRY, cache: false })
  const simulator = service.simulators.studio!
  simulator.faults.inject({ kind: 'throttle', retryAfterMs: 400 })
  t.equal((await service.getUsage(QUERY)).json.complete, true)
  const [refused, answered] = simulator.stats.calls
  t.ok(answered!.monotonicAt - refused!.monotonicAt >= 400, 'waited at least the hinted delay')
})

t.test('auth and parameter errors are not retried', async t => {
  const service = await startTestService(t, [{ ...studio, wrongSecret: true }], { retry: RETRY, cache: false })
  const response = await service.getUsage(QUERY)
  t.equal(response.json.sources[0]!.error?.code, 'UPSTREAM_AUTH')
  t.equal(service.simulators.studio!.stats.count(), 1)
})

t.test('a throttle storm: bounded attempts, flagged failure, strict is a 502, recovery after', async t => {
  const service = await startTestService(t, [studio], { retry: RETRY, cache: false })
  const simulator = service.simulators.studio!
  simulator.faults.inject({ kind: 'throttle' }, Number.POSITIVE_INFINITY)
  const response = await service.getUsage(QUERY)
  t.equal(response.status, 200)
  t.equal(response.json.complete, false)
  t.equal(response.json.sources[0]!.error?.code, 'UPSTREAM_THROTTLED')
  t.equal(simulator.stats.count(), RETRY.maxAttempts)
  t.same(response.json.series.flatMap(series => series.points.filter(point => !(point.value === null && point.state === 'incomplete'))), [])
  t.equal((await service.get(QUERY + '&strict=true')).status, 502)
  simulator.faults.clear()
  t.equal((await service.getUsage(QUERY)).json.complete, true, 'recovers when the storm stops')
})

t.test('a hung provider, strict: the request deadline answers 504 saying what was not obtained', async t => {
  const service = await startTestService(t, [studio], { retry: RETRY, cache: false, upstreamTimeoutMs: 60_000 })
  service.simulators.studio!.faults.inject({ kind: 'hang' }, Number.POSITIVE_INFINITY)
  const response = await service.getError(QUERY + '&timeout=1&strict=true')
  t.equal(response.status, 504)
  t.equal(response.json.error.code, 'DEADLINE_EXCEEDED')
  t.match(response.json.error.details, [{ source: 'studio', id: 'studio', status: 'failed' }], 'one detail per selected source, its sources[] entry')
  t.match(response.json.error.details[0]?.error, { code: 'DEADLINE_EXCEEDED' })
  service.simulators.studio!.faults.clear()
  t.equal((await service.getUsage(QUERY)).json.complete, true, 'the service is still healthy')
})

t.test('an upstream timeout is retried like a 5xx', async t => {
  const service = await startTestService(t, [studio], { retry: RETRY, cache: false, upstreamTimeoutMs: 300 })
  service.simulators.studio!.faults.inject({ kind: 'hang' })
  const response = await service.getUsage(QUERY)
  t.equal(response.json.complete, true)
  t.equal(service.simulators.studio!.stats.count(), 2)
})

t.test('reset connections and corrupt bodies never become numbers', async t => {
  const service = await startTestService(t, [studio], { retry: { ...RETRY, maxAttempts: 1 }, cache: false })
  const simulator = service.simulators.studio!
  for (const kind of ['reset', 'malformed', 'truncated', 'wrong-types'] as const) {
    simulator.faults.inject({ kind }, Number.POSITIVE_INFINITY)
    const response = await service.getUsage(QUERY)
    t.equal(response.status, 200, kind)
    t.equal(response.json.complete, false, kind)
    t.same(response.json.series.flatMap(series => series.points.filter(point => point.value !== null)), [], `${kind}: nothing invented`)
    simulator.faults.clear()
  }
  t.equal((await service.getUsage(QUERY)).json.complete, true)
})

t.test('a timeout outside 1..120 seconds is a 400 naming timeout', async t => {
  const service = await startTestService(t, [studio])
  for (const value of ['0', '121', 'soon', '-5']) {
    const response = await service.getError(`${QUERY}&timeout=${value}`)
    t.equal(response.status, 400)
    t.equal(response.json.error.details[0]?.parameter, 'timeout')
  }
})
