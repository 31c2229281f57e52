/** Request ids in every request's log lines and error bodies, and one structured line per upstream attempt. */
import t from 'tap'
import { createUpstreamCallLogger } from '../../src/observability/upstream-call-log.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { captureLogs } from '../support/log-capture.js'
import { startTestService } from '../support/test-service.js'

const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }

async function serviceWithLogs (t: Parameters<typeof startTestService>[0], options: Parameters<typeof startTestService>[2] = {}) {
  const logs = captureLogs({ level: 'info' })
  const service = await startTestService(t, [studio], { ...options, logger: logs.logger, onCall: createUpstreamCallLogger(logs.logger) })
  /** The request id the service gave the request for this URL, from its "incoming request" line. */
  const requestIdOf = (url: string) => logs.entries().find(entry => entry.msg === 'incoming request' && entry.req?.url === url)?.reqId
  return { logs, service, requestIdOf }
}

t.test('concurrent requests: each upstream call line carries the id of the request that caused it', async t => {
  const { logs, service, requestIdOf } = await serviceWithLogs(t, { cache: false })
  const octoberFirst = '/usage?from=2026-10-01&to=2026-10-08'
  const novemberFirst = '/usage?from=2026-11-01&to=2026-11-08&groupBy=tier'
  const answers = await Promise.all([service.get(octoberFirst), service.get(novemberFirst)])
  t.same(answers.map(answer => answer.status), [200, 200])
  const calls = logs.entries().filter(entry => entry.msg === 'upstream call')
  t.equal(calls.length, 2)
  const october = calls.find(entry => entry.upstream?.window.from === '2026-10-01T00:00:00.000Z')
  const november = calls.find(entry => entry.upstream?.window.from === '2026-11-01T00:00:00.000Z')
  t.equal(october?.reqId, requestIdOf(octoberFirst))
  t.equal(november?.reqId, requestIdOf(novemberFirst))
  t.not(october?.reqId, november?.reqId)
  t.match(october?.upstream, {
    source: 'studio',
    kind: 'aliyun.live-producer',
    window: { from: '2026-10-01T00:00:00.000Z', to: '2026-10-08T00:00:00.000Z' },
    attempt: 1,
    outcome: 'ok',
    durationMs: Number,
    providerCode: null
  })
})

t.test('retries: one line per attempt, with the attempt number, outcome and provider code', async t => {
  const { logs, service, requestIdOf } = await serviceWithLogs(t, { cache: false, retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } })
  service.simulators.studio!.faults.inject({ kind: 'throttle' })
  service.simulators.studio!.faults.inject({ kind: 'server-error', status: 503 })
  const url = '/usage?from=2026-11-01&to=2026-11-03'
  t.equal((await service.get(url)).status, 200)
  const attempts = logs.entries().filter(entry => entry.upstream !== undefined)
  t.same(attempts.map(entry => [entry.upstream?.attempt, entry.upstream?.outcome, entry.upstream?.providerCode, entry.level]), [
    [1, 'throttled', 'Throttling.User', 40],
    [2, 'server', 'ServiceUnavailable', 40],
    [3, 'ok', null, 30]
  ])
  t.same(attempts.filter(entry => !(entry.reqId === requestIdOf(url))), [], 'every attempt carries the request id')
  t.match(attempts[0]!.upstream?.providerRequestId, /./, 'the provider request id of a failed attempt, for support tickets')
})

t.test('every line logged while serving a request carries its id, and error bodies carry the same id', async t => {
  const { logs, service, requestIdOf } = await serviceWithLogs(t)
  const bad = '/usage?from=2026-11-08&to=2026-11-01'
  const response = await service.getError(bad)
  t.equal(response.status, 400)
  t.equal(response.json.error.requestId, requestIdOf(bad))
  await service.get('/usage?from=2026-11-01&to=2026-11-02')
  await service.get('/nope')
  const requestLines = logs.entries().filter(entry => entry.req || entry.res || entry.upstream)
  t.ok(requestLines.length >= 6)
  t.same(requestLines.filter(entry => !(typeof entry.reqId === 'string')), [], 'no request line without reqId')
})

t.test('a call made outside any request is logged through the app logger', async t => {
  const logs = captureLogs({ level: 'info' })
  createUpstreamCallLogger(logs.logger)({
    source: 's', kind: 'k', window: { from: 0, to: 3_600_000 }, attempt: 1, outcome: 'timeout', providerCode: null, requestId: null, durationMs: 12
  })
  const [line] = logs.entries()
  t.equal(line?.reqId, undefined)
  t.match(line, { level: 40, msg: 'upstream call failed', upstream: { outcome: 'timeout', window: { from: '1970-01-01T00:00:00.000Z' } } })
})
