/**
 * The adapter against its simulator over real HTTP: the traps in docs/providers/tencent-mps.md, the EndTime rule,
 * pushdown and typed errors.
 */
import t from 'tap'
import type { UsageResponse } from '../../../src/usage/usage-response.js'
import { fixedClock } from '../../../src/clock.js'
import { UpstreamError } from '../../../src/errors.js'
import { createUpstreamHttp } from '../../../src/http/upstream-http.js'
import { mpsAdapter, type MpsSettings } from '../../../src/providers/tencent-mps/mps-adapter.js'
import { callTencentApi } from '../../../src/providers/tencent/tencent-api-call.js'
import type { SimulatedAccount } from '../../../src/simulators/index.js'
import type { RunningSimulator } from '../../../src/simulators/shared/simulator-server.js'
import { MPS_ACTIVE_REGIONS, mpsUsageTotal, startTencentMpsSimulator } from '../../../src/simulators/tencent-mps/tencent-mps-simulator.js'
import { listBuckets, type Granularity, type TimeRange } from '../../../src/time/index.js'
import { planSource } from '../../../src/usage/plan-source.js'
import type { FetchResult, PushdownQuery, SourceConfig, UpstreamCall, UsageRecord } from '../../../src/usage/source-adapter.js'
import { TEST_NOW, startTestService } from '../../support/test-service.js'
import { SESSION_ACCOUNT, TENCENT_ACCOUNT } from './tencent-test-client.js'

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

const DAY = 86_400_000
const NOV_1 = Date.parse('2026-10-31T16:00:00Z') // 2026-11-01T00:00:00+08:00
const clock = fixedClock(TEST_NOW)
const http = createUpstreamHttp({ timeoutMs: 5_000 })
t.teardown(() => http.close())

async function startSimulator (t: TapTest, accounts: SimulatedAccount[] = [TENCENT_ACCOUNT, SESSION_ACCOUNT]): Promise<RunningSimulator> {
  const simulator = await startTencentMpsSimulator({ accounts, clock })
  t.teardown(() => simulator.close())
  return simulator
}

function source (simulator: RunningSimulator, settings: unknown = {}, credentials: Partial<SourceConfig['credentials']> = {}): SourceConfig<MpsSettings> {
  return {
    id: 'mps',
    kind: mpsAdapter.kind,
    endpoint: simulator.url,
    qps: 100,
    concurrency: 8,
    simulated: true,
    credentials: { accessKeyId: TENCENT_ACCOUNT.accessKeyId, accessKeySecret: TENCENT_ACCOUNT.accessKeySecret, ...credentials },
    settings: mpsAdapter.settingsSchema.parse(settings)
  }
}

function plan (config: SourceConfig<MpsSettings>, range: TimeRange, granularity: Granularity, zone: string, pushdown: Partial<Pick<PushdownQuery, 'groupBy' | 'filters'>> = {}) {
  return planSource(mpsAdapter, config, {
    range,
    buckets: listBuckets(range, granularity, zone),
    granularity,
    zone,
    groupBy: pushdown.groupBy ?? [],
    filters: pushdown.filters ?? {},
    now: TEST_NOW
  })
}

/** The planned calls of a day query in Asia/Shanghai over `range`. */
function calls (config: SourceConfig<MpsSettings>, range: TimeRange, pushdown: Partial<Pick<PushdownQuery, 'groupBy' | 'filters'>> = {}): UpstreamCall[] {
  const planned = plan(config, range, 'day', 'Asia/Shanghai', pushdown)
  if (planned.status !== 'planned') throw new Error(planned.message)
  return planned.calls
}

async function fetchCall (config: SourceConfig<MpsSettings>, call: UpstreamCall): Promise<FetchResult> {
  return await mpsAdapter.fetch(call, { source: config, http, clock, signal: AbortSignal.timeout(10_000) })
}

async function fetchRange (config: SourceConfig<MpsSettings>, range: TimeRange, pushdown: Partial<Pick<PushdownQuery, 'groupBy' | 'filters'>> = {}): Promise<UsageRecord[]> {
  const results = await Promise.all(calls(config, range, pushdown).map(call => fetchCall(config, call)))
  return results.flatMap(result => result.records)
}

const total = (records: readonly UsageRecord[]): number => records.reduce((sum, record) => sum + record.value, 0)

t.test('one call asks for every documented type and region, StartTime and EndTime naming the first and last day in +08:00', async t => {
  const simulator = await startSimulator(t)
  const config = source(simulator)
  const range = { from: NOV_1, to: NOV_1 + 7 * DAY }
  const records = await fetchRange(config, range)
  t.equal(simulator.stats.count(), 1)
  const sent = simulator.stats.calls[0]!.parameters
  t.equal(sent.StartTime, '2026-11-01T00:00:00+08:00')
  t.equal(sent.EndTime, '2026-11-07T00:00:00+08:00', 'the start of the last day: the API includes the day containing EndTime')
  t.equal(sent.Types?.split(',').length, 15)
  t.equal(sent.ProcessRegions?.split(',').length, 16)
  t.same([...new Set(records.map(record => record.start))].sort(), Array.from({ length: 7 }, (_, day) => NOV_1 + day * DAY), 'exactly the window\'s days')
  t.same(records.filter(record => !(record.end - record.start === DAY && Number.isSafeInteger(record.value) && record.value >= 0)), [])
  t.same(records.filter(record => !(record.dimensions.service === 'mps' && typeof record.dimensions.task === 'string' && record.dimensions.region === undefined)), [])
  t.equal(total(records), mpsUsageTotal(range, { now: TEST_NOW }), 'equals the simulator\'s own total')
  t.same([...new Set(records.map(record => record.metric))].sort(), [
    'ai.duration', 'enhance.duration', 'image.count', 'mps.add_blind_watermark.usage', 'mps.add_nagra_watermark.usage',
    'mps.aigc_image.usage', 'mps.aigc_video.usage', 'mps.ai_quality_control.usage', 'mps.animated_graphics.duration',
    'mps.evaluation.usage', 'mps.extract_blind_watermark.usage', 'snapshot.count', 'tasks.count', 'transcode.duration'
  ].sort())
})

t.test('adjacent windows never count a day twice or not at all', async t => {
  const simulator = await startSimulator(t)
  const config = source(simulator, { taskTypes: ['Transcode', 'Snapshot', 'AIReview'] })
  const whole = { from: NOV_1 - 20 * DAY, to: NOV_1 + 10 * DAY }
  const wholeRecords = await fetchRange(config, whole)
  for (const cut of [1, 2, 13, 29]) {
    const left = { from: whole.from, to: whole.from + cut * DAY }
    const right = { from: left.to, to: whole.to }
    const [leftCall] = calls(config, left)
    const [rightCall] = calls(config, right)
    const leftRecords = (await fetchCall(config, leftCall!)).records
    const rightRecords = (await fetchCall(config, rightCall!)).records
    t.same(leftRecords.filter(record => !(record.start >= left.from && record.end <= left.to)), [], `cut ${cut}: left stays in its window`)
    t.same(rightRecords.filter(record => !(record.start >= right.from && record.end <= right.to)), [], `cut ${cut}: right stays in its window`)
    const seen = new Map<string, number>()
    for (const record of [...leftRecords, ...rightRecords]) {
      const key = `${record.metric}|${record.dimensions.task}|${record.start}`
      seen.set(key, (seen.get(key) ?? 0) + 1)
    }
    t.same([...seen.values()].filter(count => !(count === 1)), [], `cut ${cut}: no day twice`)
    t.equal(seen.size, wholeRecords.length, `cut ${cut}: no day missing`)
    t.equal(total(leftRecords) + total(rightRecords), total(wholeRecords), `cut ${cut}: the parts add up to the whole`)
  }
  t.equal(total(wholeRecords), mpsUsageTotal(whole, { now: TEST_NOW, taskTypes: ['Transcode', 'Snapshot', 'AIReview'] }))
})

t.test('a 120-day query is two calls whose totals equal the simulator\'s own total', async t => {
  const service = await startTestService(t, [{ id: 'mps', adapter: mpsAdapter, startSimulator: startTencentMpsSimulator }], { cache: false })
  const simulator = service.simulators.mps!
  const response = await service.getUsage('/usage?from=2026-07-20&to=2026-11-17&granularity=day&tz=Asia/Shanghai')
  t.equal(response.status, 200, response.text.slice(0, 300))
  t.equal(response.json.complete, true)
  t.same(response.json.sources.map(entry => [entry.status, entry.calls]), [['ok', 2]])
  const [first, second] = simulator.stats.calls.map(call => call.parameters).sort((left, right) => left.StartTime!.localeCompare(right.StartTime!))
  t.same([first!.StartTime, first!.EndTime, second!.StartTime, second!.EndTime],
    ['2026-07-20T00:00:00+08:00', '2026-10-17T00:00:00+08:00', '2026-10-18T00:00:00+08:00', '2026-11-16T00:00:00+08:00'], '90 days, then 30, meeting at the seam')
  t.same(response.json.series.filter(series => !(series.points.length === 120)), [])
  const answered = response.json.series.reduce((sum, series) => sum + (series.total ?? 0), 0)
  t.equal(answered, mpsUsageTotal({ from: Date.parse(response.json.from), to: Date.parse(response.json.to) }, { now: TEST_NOW }))
  t.equal(response.json.from, '2026-07-20T00:00:00+08:00')
})

t.test('alignment: UTC+08:00 days and months align in Asia/Shanghai; UTC days and any hours do not', async t => {
  const simulator = await startSimulator(t)
  const config = source(simulator)
  const months = plan(config, { from: Date.parse('2026-07-31T16:00:00Z'), to: NOV_1 }, 'month', 'Asia/Shanghai')
  t.equal(months.status, 'planned')
  const utcDays = plan(config, { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-08T00:00:00Z') }, 'day', 'UTC')
  t.equal(utcDays.status, 'unaligned')
  if (utcDays.status === 'unaligned') t.match(utcDays.message, /day \(UTC\+08:00\)/)
  t.equal(plan(config, { from: NOV_1, to: NOV_1 + DAY }, 'hour', 'Asia/Shanghai').status, 'unaligned', 'hours never align with days')
  t.equal(plan(config, { from: Date.parse('2026-11-02T08:00:00Z'), to: Date.parse('2026-11-04T08:00:00Z') }, 'day', 'America/Los_Angeles').status, 'unaligned')

  const service = await startTestService(t, [{ id: 'mps', adapter: mpsAdapter, startSimulator: startTencentMpsSimulator }], { cache: false })
  const monthly = await service.getUsage('/usage?from=2026-08-01&to=2026-11-01&granularity=month&tz=Asia/Shanghai')
  t.equal(monthly.status, 200, monthly.text.slice(0, 300))
  t.equal(monthly.json.complete, true)
  t.equal(monthly.json.sources[0]!.status, 'ok')
  t.same(monthly.json.series.filter(series => !(series.points.length === 3)), [])
  const answered = monthly.json.series.reduce((sum, series) => sum + (series.total ?? 0), 0)
  t.equal(answered, mpsUsageTotal({ from: Date.parse('2026-07-31T16:00:00Z'), to: NOV_1 }, { now: TEST_NOW }))
  const utc = await service.getError('/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=UTC')
  t.equal(utc.status, 400, 'the only source unaligned: 400')
  t.equal(utc.json.error.code, 'UNALIGNED_QUERY')
})

t.test('groupBy=region costs one call per region; the regions add up to the ungrouped total', async t => {
  const regions = ['ap-guangzhou', 'ap-singapore', 'eu-frankfurt', 'aws']
  const service = await startTestService(t, [{ id: 'mps', adapter: mpsAdapter, startSimulator: startTencentMpsSimulator, settings: { regions } }], { cache: false })
  const simulator = service.simulators.mps!
  const base = '/usage?from=2026-11-01&to=2026-11-15&granularity=day&tz=Asia/Shanghai'
  const grouped = await service.getUsage(`${base}&groupBy=region`)
  t.equal(grouped.status, 200, grouped.text.slice(0, 300))
  t.equal(grouped.json.sources[0]!.calls, 4)
  t.same(simulator.stats.calls.map(call => call.parameters.ProcessRegions).sort(), [...regions].sort(), 'one region per call')
  t.same([...new Set(grouped.json.series.map(series => series.dimensions.region))].sort(), [...regions].sort())
  const range = { from: NOV_1, to: NOV_1 + 14 * DAY }
  for (const region of regions) {
    const regionTotal = grouped.json.series.filter(series => series.dimensions.region === region).reduce((sum, series) => sum + (series.total ?? 0), 0)
    t.equal(regionTotal, mpsUsageTotal(range, { now: TEST_NOW, regions: [region] }), region)
  }
  simulator.stats.reset()
  const ungrouped = await service.getUsage(base)
  t.equal(ungrouped.json.sources[0]!.calls, 1)
  t.equal(simulator.stats.calls[0]!.parameters.ProcessRegions, regions.join(','))
  const sum = (json: UsageResponse): number => json.series.reduce((total, series) => total + (series.total ?? 0), 0)
  t.equal(sum(grouped.json), sum(ungrouped.json))
})

t.test('filters: region values are sent as given (one call each), task values become Types', async t => {
  const service = await startTestService(t, [{ id: 'mps', adapter: mpsAdapter, startSimulator: startTencentMpsSimulator, settings: { regions: ['ap-guangzhou'] } }], { cache: false })
  const simulator = service.simulators.mps!
  const base = '/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=Asia/Shanghai'
  const outside = await service.getUsage(`${base}&region=ap-hongkong,ap-tokyo`)
  t.equal(outside.json.sources[0]!.status, 'ok')
  t.same(simulator.stats.calls.map(call => call.parameters.ProcessRegions).sort(), ['ap-hongkong', 'ap-tokyo'], 'not configured, still asked for')
  const answered = outside.json.series.reduce((sum, series) => sum + (series.total ?? 0), 0)
  t.equal(answered, mpsUsageTotal({ from: NOV_1, to: NOV_1 + 7 * DAY }, { now: TEST_NOW, regions: ['ap-hongkong', 'ap-tokyo'] }))

  const unknown = await service.getUsage(`${base}&region=ap-nowhere`)
  t.equal(unknown.json.sources[0]!.status, 'failed')
  t.match(unknown.json.sources[0]!.error, { code: 'UPSTREAM_PARAMETER', providerCode: 'InvalidParameterValue', requestId: /^[0-9a-f-]{36}$/ })

  simulator.stats.reset()
  const tasks = await service.getUsage(`${base}&task=Snapshot,AIReview&groupBy=task`)
  t.equal(simulator.stats.calls[0]!.parameters.Types, 'Snapshot,AIReview')
  t.same([...new Set(tasks.json.series.map(series => series.dimensions.task))].sort(), ['AIReview', 'Snapshot'])
  t.equal(tasks.json.series.find(series => series.metric === 'snapshot.count')!.total,
    mpsUsageTotal({ from: NOV_1, to: NOV_1 + 7 * DAY }, { now: TEST_NOW, regions: ['ap-guangzhou'], taskTypes: ['Snapshot'], field: 'usage' }))
})

t.test('groupBy=spec reads Details: same totals, split by Specification', async t => {
  const service = await startTestService(t, [{ id: 'mps', adapter: mpsAdapter, startSimulator: startTencentMpsSimulator }], { cache: false })
  const base = '/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=Asia/Shanghai'
  const bySpec = await service.getUsage(`${base}&groupBy=spec,task`)
  const plain = await service.getUsage(`${base}&groupBy=task`)
  t.equal(bySpec.json.complete, true)
  const sum = (json: UsageResponse, metric?: string): number => json.series.filter(series => metric === undefined || series.metric === metric).reduce((total, series) => total + (series.total ?? 0), 0)
  t.equal(sum(bySpec.json), sum(plain.json))
  t.equal(sum(bySpec.json, 'transcode.duration'), sum(plain.json, 'transcode.duration'))
  const transcodeSpecs = bySpec.json.series.filter(series => series.metric === 'transcode.duration').map(series => series.dimensions.spec)
  t.same(['Audio', 'TESHD-10.H265.4K'].filter(spec => !transcodeSpecs.includes(spec)), [], 'both specifications are listed')
  t.ok(bySpec.json.series.some(series => series.dimensions.task === 'AIReview' && series.dimensions.spec === null), 'no sub-specifications: spec is null', { found: bySpec.json.series })
  const audioOnly = await service.getUsage(`${base}&spec=Audio`)
  t.same([...new Set(audioOnly.json.series.filter(series => (series.total ?? 0) > 0).map(series => series.metric))].sort(), ['tasks.count', 'transcode.duration'])
})

t.test('auth: a wrong secret or an unknown SecretId is UPSTREAM_AUTH with the provider code and request id', async t => {
  const simulator = await startSimulator(t)
  const [call] = calls(source(simulator), { from: NOV_1, to: NOV_1 + DAY })
  await t.rejects(fetchCall(source(simulator, {}, { accessKeySecret: 'not-the-secret' }), call!),
    { code: 'UPSTREAM_AUTH', providerCode: 'AuthFailure.SignatureFailure', requestId: /^[0-9a-f-]{36}$/, httpStatus: 200, retryable: false })
  await t.rejects(fetchCall(source(simulator, {}, { accessKeyId: 'AKIDnobody' }), call!), { code: 'UPSTREAM_AUTH', providerCode: 'AuthFailure.SecretIdNotFound' })
  await t.rejects(fetchCall(source(simulator, { service: 'cvm' }), call!), { code: 'UPSTREAM_AUTH', providerCode: 'AuthFailure.SignatureFailure' }, 'the service setting is what is signed')

  const session = { accessKeyId: SESSION_ACCOUNT.accessKeyId, accessKeySecret: SESSION_ACCOUNT.accessKeySecret }
  t.ok((await fetchCall(source(simulator, {}, { ...session, securityToken: SESSION_ACCOUNT.securityToken }), call!)).records.length > 0, 'X-TC-Token sent for temporary credentials')
  await t.rejects(fetchCall(source(simulator, {}, session), call!), { code: 'UPSTREAM_AUTH', providerCode: 'AuthFailure.TokenFailure' })
})

t.test('faults become typed errors: throttling, server errors in a 200 or a 5xx, unreadable bodies', async t => {
  const simulator = await startSimulator(t)
  const config = source(simulator)
  const [call] = calls(config, { from: NOV_1, to: NOV_1 + 3 * DAY })
  const cases: Array<[Parameters<RunningSimulator['faults']['inject']>[0], Record<string, unknown>]> = [
    [{ kind: 'throttle' }, { code: 'UPSTREAM_THROTTLED', providerCode: 'RequestLimitExceeded', httpStatus: 200, retryable: true }],
    [{ kind: 'server-error' }, { code: 'UPSTREAM_SERVER', providerCode: 'InternalError', httpStatus: 200, retryable: true }],
    [{ kind: 'server-error', status: 503 }, { code: 'UPSTREAM_SERVER', providerCode: 'ServiceUnavailable', httpStatus: 503 }],
    [{ kind: 'server-error', status: 500 }, { code: 'UPSTREAM_SERVER', providerCode: 'InternalError', httpStatus: 500 }],
    [{ kind: 'auth' }, { code: 'UPSTREAM_AUTH', providerCode: 'AuthFailure.SignatureFailure' }],
    [{ kind: 'malformed' }, { code: 'UPSTREAM_MALFORMED' }],
    [{ kind: 'truncated' }, { code: 'UPSTREAM_MALFORMED' }],
    [{ kind: 'wrong-types' }, { code: 'UPSTREAM_MALFORMED', requestId: /^[0-9a-f-]{36}$/ }],
    [{ kind: 'reset' }, { code: 'UPSTREAM_NETWORK' }]
  ]
  for (const [fault, expected] of cases) {
    simulator.faults.inject(fault)
    const error = await fetchCall(config, call!).then(() => null, (caught: unknown) => caught)
    t.ok(error instanceof UpstreamError, fault.kind)
    t.match(error, expected, `${fault.kind}${'status' in fault ? ` ${fault.status}` : ''}`)
  }
  t.ok((await fetchCall(config, call!)).records.length > 0, 'recovers')
})

t.test('the trap, raw: the same window without Types and ProcessRegions loses most usage', async t => {
  const simulator = await startSimulator(t)
  const config = source(simulator)
  const context = { source: config, http, clock, signal: AbortSignal.timeout(10_000) }
  const raw = await callTencentApi({
    action: 'DescribeUsageData',
    version: '2019-06-12',
    service: 'mps',
    payload: { StartTime: '2026-11-01T00:00:00+08:00', EndTime: '2026-11-07T00:00:00+08:00' }
  }, context)
  const data = raw.response.Data as Array<{ TaskType: string, Summary: Array<{ Usage: number, Count: number }> }>
  t.same(data.map(entry => entry.TaskType), ['Transcode'], 'the API default: Transcode only')
  const narrow = data[0]!.Summary.reduce((sum, item) => sum + item.Usage, 0)
  t.equal(narrow, mpsUsageTotal({ from: NOV_1, to: NOV_1 + 7 * DAY }, { now: TEST_NOW, regions: ['ap-guangzhou'], taskTypes: ['Transcode'], field: 'usage' }), 'and ap-guangzhou only')
  const records = await fetchRange(config, { from: NOV_1, to: NOV_1 + 7 * DAY })
  const transcode = total(records.filter(record => record.metric === 'transcode.duration'))
  t.equal(transcode, mpsUsageTotal({ from: NOV_1, to: NOV_1 + 7 * DAY }, { now: TEST_NOW, regions: MPS_ACTIVE_REGIONS, taskTypes: ['Transcode'], field: 'usage' }))
  t.ok(transcode > narrow, 'the adapter\'s explicit lists get every region')
})

t.test('today: the open UTC+08:00 day is fetched and provisional; nothing after it is asked for', async t => {
  const service = await startTestService(t, [{ id: 'mps', adapter: mpsAdapter, startSimulator: startTencentMpsSimulator }], { cache: false })
  const simulator = service.simulators.mps!
  const response = await service.getUsage('/usage?from=2026-11-18&to=2026-11-23&granularity=day&tz=Asia/Shanghai&metrics=transcode.duration')
  t.equal(simulator.stats.calls[0]!.parameters.EndTime, '2026-11-20T00:00:00+08:00', 'the day holding now is the last asked for')
  const points = response.json.series[0]!.points
  // Now is 2026-11-20T18:30+08:00: the 18th ended 42.5 hours ago (final after 36), the 19th 18.5 hours ago, the 20th is open.
  t.same(points.map(point => point.state), ['final', 'provisional', 'provisional', 'provisional', 'provisional'])
  t.same(points.slice(3).map(point => point.value), [null, null], 'future days are null, never zero')
  t.same(points.slice(0, 3).filter(point => !(Number.isSafeInteger(point.value))), [])
  const settled = await service.getUsage('/usage?from=2026-11-01&to=2026-11-18&granularity=day&tz=Asia/Shanghai&metrics=transcode.duration')
  t.same(settled.json.series[0]!.points.filter(point => !(point.state === 'final')), [], 'days that ended more than 36 hours ago are final')
})

t.test('a source asking for some task types feeds only their metrics: the others are left out, never 0', async t => {
  const service = await startTestService(t, [{ id: 'mps', adapter: mpsAdapter, startSimulator: startTencentMpsSimulator, settings: { taskTypes: ['Transcode'] } }], { cache: false })
  const all = await service.getUsage('/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=Asia/Shanghai')
  t.equal(all.status, 200, all.text.slice(0, 300))
  t.same([...new Set(all.json.series.map(series => series.metric))].sort(), ['tasks.count', 'transcode.duration'])
  t.same(mpsAdapter.metricsFor!(mpsAdapter.settingsSchema.parse({ taskTypes: ['Transcode'] }), {}), ['transcode.duration', 'tasks.count'])

  const asked = await service.getUsage('/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=Asia/Shanghai&metrics=transcode.duration,snapshot.count')
  t.equal(asked.status, 200)
  t.same(asked.json.series.map(series => series.metric), ['transcode.duration'], 'no snapshot.count series of zeros')
  t.ok(asked.json.warnings.some(warning => warning.type === 'metric_unavailable' && /snapshot\.count/.test(warning.message)), 'snapshot.count is warned as unavailable', { found: asked.json.warnings })
  const none = await service.getError('/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=Asia/Shanghai&metrics=snapshot.count')
  t.equal(none.json.error.code, 'NO_SOURCES', 'the only source does not ask about snapshots')

  // A task filter is sent as given, so it decides the types asked, and their metrics are fed.
  const filtered = await service.getUsage('/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=Asia/Shanghai&task=Snapshot&metrics=snapshot.count')
  t.equal(filtered.status, 200, filtered.text.slice(0, 300))
  t.equal(filtered.json.series[0]!.total, mpsUsageTotal({ from: NOV_1, to: NOV_1 + 7 * DAY }, { now: TEST_NOW, taskTypes: ['Snapshot'], field: 'usage' }))
})
