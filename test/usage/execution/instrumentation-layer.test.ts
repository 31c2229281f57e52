import t from 'tap'
import { UpstreamError } from '../../../src/errors.js'
import { UsageMetrics } from '../../../src/observability/usage-metrics.js'
import { callContext } from '../../../src/usage/execution/call-layer.js'
import { instrumentationLayer, type UpstreamCallLog } from '../../../src/usage/execution/instrumentation-layer.js'

const call = { key: 'k', window: { from: 1_000, to: 2_000 }, parameters: { Secret: 'never logged' } } as never

function setup () {
  const metrics = new UsageMetrics()
  const lines: UpstreamCallLog[] = []
  let now = 0
  const layer = instrumentationLayer({ source: { id: 'studio', kind: 'aliyun.live-producer' }, metrics, onCall: line => lines.push(line), monotonicNow: () => (now += 40.4) })
  return { metrics, lines, layer }
}

const counted = async (metrics: UsageMetrics) => (await metrics.upstreamCalls.get()).values.map(value => [value.labels.outcome, value.value])

t.test('an answered attempt: one log line with its request id, counted as ok and timed', async t => {
  const { metrics, lines, layer } = setup()
  await layer(async () => ({ result: { records: [], requestId: 'REQ-OK' }, cachedAt: null }))(call, { ...callContext(new AbortController().signal), attempt: 2 })
  t.same(lines, [{ source: 'studio', kind: 'aliyun.live-producer', window: { from: 1_000, to: 2_000 }, attempt: 2, outcome: 'ok', providerCode: null, requestId: 'REQ-OK', durationMs: 40 }])
  t.same(await counted(metrics), [['ok', 1]])
  t.equal((await metrics.upstreamLatency.get()).values.find(value => value.metricName === 'usage_service_upstream_call_duration_seconds_count')?.value, 1)
})

t.test('a failed attempt: its outcome, the provider\'s code and request id; a throttle is counted as one', async t => {
  const { metrics, lines, layer } = setup()
  const error = new UpstreamError('UPSTREAM_THROTTLED', 'slow down', { providerCode: 'Throttling.User', requestId: 'REQ-T' })
  await t.rejects(layer(async () => { throw error })(call, callContext(new AbortController().signal)), error)
  t.match(lines, [{ attempt: 1, outcome: 'throttled', providerCode: 'Throttling.User', requestId: 'REQ-T' }])
  t.same(await counted(metrics), [['throttled', 1]])
  t.equal((await metrics.throttles.get()).values[0]?.value, 1)
})
