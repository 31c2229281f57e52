import t, { type Test } from 'tap'
import { fixedClock } from '../../../src/clock.js'
import { UpstreamError } from '../../../src/errors.js'
import { createUpstreamHttp } from '../../../src/http/upstream-http.js'
import { imsAdapter, type ImsSettings } from '../../../src/providers/aliyun-ims/ims-adapter.js'
import { CANONICAL_METRICS } from '../../../src/usage/source-adapter.js'
import {
  IMS_SUMMARY_FIELDS, imsRangeTotals, imsSendsAsString, startImsSimulator, type ImsMeterErrorCode, type ImsSimulator
} from '../../../src/simulators/aliyun-ims/ims-simulator.js'
import type { FetchResult, SourceConfig, UpstreamCall } from '../../../src/usage/source-adapter.js'
import { TEST_ACCOUNT, TEST_NOW } from '../../support/test-service.js'

const SECOND = 1000
const HOUR = 3_600_000
const DAY = 86_400_000
const clock = fixedClock(TEST_NOW)
const http = createUpstreamHttp({ timeoutMs: 5_000 })
t.teardown(() => http.close())

async function startSimulator (t: Test): Promise<ImsSimulator> {
  const simulator = await startImsSimulator({ accounts: [TEST_ACCOUNT], clock, qps: 1000 })
  t.teardown(() => simulator.close())
  return simulator
}

function source (simulator: ImsSimulator, secret = TEST_ACCOUNT.accessKeySecret): SourceConfig<ImsSettings> {
  return {
    id: 'ims-test',
    kind: imsAdapter.kind,
    endpoint: simulator.url,
    qps: 10,
    concurrency: 4,
    credentials: { accessKeyId: TEST_ACCOUNT.accessKeyId, accessKeySecret: secret },
    simulated: true,
    settings: imsAdapter.settingsSchema.parse({})
  }
}

function call (from: number, to: number): UpstreamCall {
  const variant = imsAdapter.variants({ groupBy: [], filters: {}, grid: null }, {})[0]!
  return { window: { from, to }, grid: null, variant, key: `ims:${from}:${to}` }
}

async function fetch (simulator: ImsSimulator, from: number, to: number, secret?: string): Promise<FetchResult> {
  return await imsAdapter.fetch(call(from, to), { source: source(simulator, secret), http, clock, signal: new AbortController().signal })
}

/** The canonical values the adapter should report for a range, keyed metric/mode. */
function expectedRecords (from: number, to: number): Record<string, number> {
  const totals = imsRangeTotals(from, to, TEST_NOW)
  const metricOf: Record<string, string> = {
    MpsTranscodeDuration: 'transcode.duration/vod',
    MpsTranscodeUHDDuration: 'enhance.duration/vod',
    LiveTranscodeDuration: 'transcode.duration/live',
    EditingDuration: 'editing.duration/vod',
    MpsAiDuration: 'ai.duration/vod',
    LiveRecordDuration: 'recording.duration/live',
    LiveEditDuration: 'editing.duration/live',
    LiveSnapshotCount: 'snapshot.count/live'
  }
  return Object.fromEntries(IMS_SUMMARY_FIELDS.map(field => [metricOf[field]!, field === 'LiveSnapshotCount' ? totals[field] : totals[field] * 60]))
}

const byMetric = (result: FetchResult): Record<string, number> =>
  Object.fromEntries(result.records.map(record => [`${record.metric}/${record.dimensions.mode}`, record.value]))

t.test('the adapter describes the API: no native buckets, limits, catalog', async t => {
  t.equal(imsAdapter.kind, 'aliyun.ims')
  t.equal(imsAdapter.provider, 'aliyun')
  t.equal(imsAdapter.defaultEndpoint, 'https://ice.cn-shanghai.aliyuncs.com')
  t.same(imsAdapter.nativeBuckets, { kind: 'any', description: 'any range (one total per call)' })
  t.same(imsAdapter.limits, { maxSpanMs: 31 * DAY, minSpanMs: SECOND, lookbackMs: 90 * DAY, defaultQps: 10 })
  const fields = imsAdapter.metrics.flatMap(mapping => mapping.providerFields).sort()
  t.same(fields, [...IMS_SUMMARY_FIELDS].sort(), 'all eight fields are mapped, each once')
  for (const mapping of imsAdapter.metrics) {
    t.ok(CANONICAL_METRICS.some(metric => metric.name === mapping.metric), `${mapping.metric} is canonical`)
    t.same(mapping.dimensions, ['service', 'mode'])
    if (mapping.metric === 'snapshot.count') t.match(mapping.conversion, /no conversion/)
    else t.equal(mapping.conversion, 'minutes × 60 (unit assumed: not documented for this API)')
  }
  t.same(imsAdapter.extraMetrics ?? [], [])
  t.same(imsAdapter.settingsSchema.parse({}), {})
  t.notOk(imsAdapter.settingsSchema.safeParse({ regionId: 'cn-shanghai' }).success, 'Region has no effect, so there is no setting for it')
})

t.test('variants: one call whatever the query; filters on service and mode are exact after the fact', async t => {
  t.same(imsAdapter.variants({ groupBy: [], filters: {}, grid: null }, {}), [{ parameters: {}, dimensions: {} }])
  t.same(imsAdapter.variants({ groupBy: ['mode', 'service'], filters: { mode: ['live'], service: ['ims'] }, grid: null }, {}),
    [{ parameters: {}, dimensions: {} }])
  t.same([...imsAdapter.filterDimensions].sort(), ['mode', 'service'])
})

t.test('fetch: StartTs/EndTs in seconds, no Region, values equal the simulator\'s own totals', async t => {
  const simulator = await startSimulator(t)
  const from = Date.parse('2026-11-10T00:30:00Z')
  const to = Date.parse('2026-11-11T00:30:00Z')
  const result = await fetch(simulator, from, to)
  t.same(simulator.stats.calls.map(entry => entry.parameters), [{ StartTs: String(from / SECOND), EndTs: String(to / SECOND) }])
  t.equal(simulator.stats.calls[0]!.action, 'DescribeMeterImsSummary')
  t.ok(result.requestId)
  t.equal(result.records.length, 8)
  t.same(byMetric(result), expectedRecords(from, to))
  t.same(result.records.filter(record => !(record.start === from && record.end === to && record.dimensions.service === 'ims')), [])
  t.ok(Object.values(byMetric(result)).some(value => value > 0), 'there is usage', { found: byMetric(result) })
})

t.test('numeric strings are accepted: ranges where the simulator sends strings read exactly', async t => {
  const simulator = await startSimulator(t)
  let withStrings = 0
  for (let day = 0; day < 8; day++) {
    const from = Date.parse('2026-11-01T00:00:00Z') + day * DAY
    const to = from + DAY
    const strings = IMS_SUMMARY_FIELDS.filter(field => imsSendsAsString(field, String(from / SECOND), String(to / SECOND)))
    if (strings.length > 0) withStrings++
    t.same(byMetric(await fetch(simulator, from, to)), expectedRecords(from, to), `day ${day}: ${strings.join(',') || 'numbers only'}`)
  }
  t.ok(withStrings > 0, 'some answers had string-typed numbers')
})

t.test('a range not yet begun answers empty Data: zero records, so the bucket reads 0, not null', async t => {
  const simulator = await startSimulator(t)
  const result = await fetch(simulator, TEST_NOW + HOUR, TEST_NOW + 2 * HOUR)
  t.equal(result.records.length, 8)
  t.same(result.records.filter(record => !(record.value === 0)), [])
})

t.test('a window beyond 31 days is a planning bug, refused before any call', async t => {
  const simulator = await startSimulator(t)
  const from = Date.parse('2026-09-30T22:00:00Z')
  await t.rejects(fetch(simulator, from, from + 31 * DAY + HOUR), { code: 'INTERNAL' })
  t.equal(simulator.stats.count(), 0)
})

t.test('a window that is not whole seconds is a bug here, refused before any call', async t => {
  const simulator = await startSimulator(t)
  await t.rejects(fetch(simulator, Date.parse('2026-11-10T00:00:00Z') + 1, Date.parse('2026-11-10T01:00:00Z')), { code: 'INTERNAL' })
  t.equal(simulator.stats.count(), 0)
})

t.test('Meter errors map to typed upstream errors with the provider code and request id', async t => {
  const simulator = await startSimulator(t)
  const from = Date.parse('2026-11-10T00:00:00Z')
  const cases: Array<[ImsMeterErrorCode, string, number, boolean]> = [
    ['Meter.ParamError', 'UPSTREAM_PARAMETER', 400, false],
    ['Meter.AuthError', 'UPSTREAM_AUTH', 403, false],
    ['Meter.ServerInternalError', 'UPSTREAM_SERVER', 500, true],
    ['Meter.DataSourceQueryError', 'UPSTREAM_SERVER', 500, true],
    ['Meter.ReadyTsError', 'UPSTREAM_SERVER', 502, true]
  ]
  for (const [providerCode, code, httpStatus, retryable] of cases) {
    simulator.meterFaults.inject(providerCode)
    const error = await fetch(simulator, from, from + HOUR).then(() => null, (reason: unknown) => reason)
    t.ok(error instanceof UpstreamError, providerCode)
    t.match(error, { code, providerCode, httpStatus, retryable, requestId: /^[0-9A-F-]{36}$/ }, providerCode)
  }
})

t.test('the provider refusing a range (older than 90 days) is UPSTREAM_PARAMETER with Meter.ParamError', async t => {
  const simulator = await startSimulator(t)
  const from = TEST_NOW - 91 * DAY
  await t.rejects(fetch(simulator, from, from + DAY), { code: 'UPSTREAM_PARAMETER', providerCode: 'Meter.ParamError', httpStatus: 400 })
})

t.test('a wrong secret is UPSTREAM_AUTH with the provider code and request id, and no secret in the message', async t => {
  const simulator = await startSimulator(t)
  const error = await fetch(simulator, Date.parse('2026-11-10T00:00:00Z'), Date.parse('2026-11-11T00:00:00Z'), 'not-the-secret')
    .then(() => null, (reason: unknown) => reason)
  t.match(error, { code: 'UPSTREAM_AUTH', providerCode: 'SignatureDoesNotMatch', requestId: /^[0-9A-F-]{36}$/, retryable: false })
  t.notMatch((error as Error).message, /not-the-secret|test-secret/)
})

t.test('corrupted 200s are refused as UPSTREAM_MALFORMED', async t => {
  const simulator = await startSimulator(t)
  const from = Date.parse('2026-11-10T00:00:00Z')
  for (const kind of ['malformed', 'truncated', 'wrong-types'] as const) {
    simulator.faults.inject({ kind })
    await t.rejects(fetch(simulator, from, from + DAY), { code: 'UPSTREAM_MALFORMED' }, kind)
  }
  t.same(byMetric(await fetch(simulator, from, from + DAY)), expectedRecords(from, from + DAY), 'and read normally afterwards')
})

t.test('every call is freshly signed: the same window twice is two accepted calls', async t => {
  const simulator = await startSimulator(t)
  const from = Date.parse('2026-11-10T00:00:00Z')
  const first = await fetch(simulator, from, from + HOUR)
  const second = await fetch(simulator, from, from + HOUR)
  t.same(first.records, second.records)
  t.not(first.requestId, second.requestId)
  t.same(simulator.stats.calls.map(entry => entry.status), [200, 200])
})
