/**
 * The kind's behaviour (docs/providers/aliyun-live-grtn.md), through real HTTP: the service in front of the GRTN
 * simulator, or the adapter's fetch against it.
 */
import type { UsageResponse } from '../../../src/usage/usage-response.js'
import t, { type Test } from 'tap'
import { convertGrtnDuration } from '../../../src/providers/aliyun-live-grtn/convert-grtn-duration.js'
import { GRTN_FIVE_MINUTES, liveGrtnAdapter } from '../../../src/providers/aliyun-live-grtn/grtn-adapter.js'
import { grtnResponseSchema } from '../../../src/providers/aliyun-live-grtn/grtn-api.js'
import { GRTN_ACTION_NAME, GRTN_API_VERSION, GRTN_APP_IDS, grtnTotalMinutes, startLiveGrtnSimulator, type GrtnArea } from '../../../src/simulators/aliyun-live-grtn/grtn-simulator.js'
import { startTestService, TEST_ACCOUNT, type TestService } from '../../support/test-service.js'
import { callAcs3 } from '../../simulators/aliyun/aliyun-test-client.js'
import { NOW, startDirect, sumValues } from './grtn-fixtures.js'

const HOUR = 3_600_000
const at = (text: string): number => Date.parse(text)

async function service (t: Test, settings: Record<string, unknown> = {}): Promise<TestService> {
  return await startTestService(t, [
    { id: 'grtn', adapter: liveGrtnAdapter, startSimulator: startLiveGrtnSimulator, settings },
    { id: 'grtn-bad-secret', adapter: liveGrtnAdapter, startSimulator: startLiveGrtnSimulator, settings, wrongSecret: true }
  ])
}

async function usage (running: TestService, query: string): Promise<UsageResponse> {
  const response = await running.getUsage(`/usage?source=grtn&${query}`)
  if (response.status !== 200) throw new Error(`${response.status} ${response.text.slice(0, 400)}`)
  return response.json
}

const totalOf = (json: UsageResponse): number => json.series.reduce((sum, series) => sum + (series.total ?? 0), 0)
const rangeOf = (json: UsageResponse) => ({ from: Date.parse(json.from), to: Date.parse(json.to) })
/** The simulator's own total in seconds for the answer's range. */
const truthSeconds = (json: UsageResponse, selection: { apps?: readonly string[], areas?: readonly GrtnArea[] } = {}) =>
  grtnTotalMinutes({ ...rangeOf(json), now: NOW, ...selection }) * 60

t.test('a zone whose boundaries are not whole hours (Asia/Kolkata) is asked for in 5-minute buckets; UTC hourly', async t => {
  const running = await service(t)
  const simulator = running.simulators.grtn!
  // Different ranges each time: the service caches answers, and a cached call never reaches the simulator.
  for (const [granularity, from, to] of [['day', '2026-11-01', '2026-11-04'], ['hour', '2026-11-05', '2026-11-06']]) {
    simulator.stats.reset()
    const json = await usage(running, `from=${from}&to=${to}&granularity=${granularity}&tz=Asia/Kolkata`)
    t.equal(json.complete, true)
    t.ok(simulator.stats.count() > 0)
    t.same(simulator.stats.calls.filter(call => !(call.parameters.Interval === '300')), [], `${granularity} in Asia/Kolkata: Interval=300`)
    t.equal(totalOf(json), truthSeconds(json), 'exactly the simulator\'s total')
  }
  for (const [zone, granularity, from, to] of [['UTC', 'day', '2026-10-01', '2026-10-04'], ['Asia/Shanghai', 'hour', '2026-10-05', '2026-10-06'], ['America/New_York', 'day', '2026-10-10', '2026-10-12']]) {
    simulator.stats.reset()
    const json = await usage(running, `from=${from}&to=${to}&granularity=${granularity}&tz=${zone}`)
    t.ok(simulator.stats.count() > 0)
    t.same(simulator.stats.calls.filter(call => !(call.parameters.Interval === '3600')), [], `${granularity} in ${zone}: Interval=3600`)
    t.equal(totalOf(json), truthSeconds(json))
  }
})

t.test('75 configured app ids grouped by app: 3 calls per window, each record naming its app', async t => {
  const appIds = GRTN_APP_IDS.slice(0, 75)
  const running = await service(t, { appIds })
  const simulator = running.simulators.grtn!
  // 46 days: two windows of at most 31 days.
  const json = await usage(running, 'from=2026-09-25&to=2026-11-10&groupBy=app')
  t.equal(json.complete, true)
  t.equal(json.sources[0]!.calls, 6)
  t.equal(simulator.stats.count(), 6)
  const windows = new Set(simulator.stats.calls.map(call => call.parameters.StartTime))
  t.equal(windows.size, 2, 'two windows')
  for (const window of windows) {
    const sizes = simulator.stats.calls.filter(call => call.parameters.StartTime === window).map(call => call.parameters.AppId!.split(',').length)
    t.same(sizes.sort((left, right) => left - right), [15, 30, 30], `window ${window}: 30 + 30 + 15 app ids`)
  }
  t.same(json.series.filter(series => !(appIds.includes(series.dimensions.app ?? ''))), [], 'every series is one configured app')
  t.ok(json.series.length > 60)
  t.equal(totalOf(json), truthSeconds(json, { apps: appIds }), 'the configured apps\' usage, exactly')
  t.ok(totalOf(json) < truthSeconds(json), 'the five unconfigured apps are not in a grouped answer: configure every app')
})

t.test('sums across apps and across areas equal the unsplit total', async t => {
  const running = await service(t, { appIds: [...GRTN_APP_IDS] })
  const simulator = running.simulators.grtn!
  const range = 'from=2026-11-05&to=2026-11-12&granularity=day&tz=Asia/Shanghai'
  const unsplit = await usage(running, range)
  t.equal(totalOf(unsplit), truthSeconds(unsplit))
  t.ok(totalOf(unsplit) > 0)

  const byApp = await usage(running, `${range}&groupBy=app`)
  t.equal(totalOf(byApp), totalOf(unsplit), 'all 80 apps, in 3 calls, sum to the unsplit total')
  t.equal(byApp.sources[0]!.calls + (byApp.sources[0]!.cachedCalls ?? 0), 3)

  simulator.stats.reset()
  const byArea = await usage(running, `${range}&groupBy=area`)
  t.same(byArea.series.map(series => series.dimensions.area).sort(), ['CN', 'OverSeas'])
  t.same(simulator.stats.calls.map(call => call.parameters.Area).sort(), ['CN', 'OverSeas'], 'one call per area')
  t.equal(totalOf(byArea), totalOf(unsplit), 'CN + OverSeas is everything, nothing twice')
  for (const series of byArea.series) t.equal(series.total, truthSeconds(byArea, { areas: [series.dimensions.area as GrtnArea] }), String(series.dimensions.area))

  const both = await usage(running, `${range}&groupBy=app,area`)
  t.equal(both.sources[0]!.calls + (both.sources[0]!.cachedCalls ?? 0), 6)
  t.equal(totalOf(both), totalOf(unsplit), 'apps crossed with areas still sum to the total')
  t.same(both.series.filter(series => !(series.dimensions.app !== null && series.dimensions.area !== null)), [])

  const byProfile = await usage(running, `${range}&groupBy=mediaType,mediaProfile`)
  t.equal(byProfile.sources[0]!.calls + (byProfile.sources[0]!.cachedCalls ?? 0), 1, 'media type and profile cost no extra call')
  t.same(byProfile.series.map(series => `${series.dimensions.mediaType}/${series.dimensions.mediaProfile}`).sort(),
    ['audio/0', 'video/1080P', 'video/480P', 'video/720P'])
  t.equal(totalOf(byProfile), totalOf(unsplit))
})

t.test('filters are pushed down: an area filter is one call with Area, an app filter names its apps', async t => {
  const running = await service(t)
  const simulator = running.simulators.grtn!
  const range = 'from=2026-11-05&to=2026-11-08'
  const ap1 = await usage(running, `${range}&area=AP1`)
  t.same(simulator.stats.calls.map(call => call.parameters.Area), ['AP1'])
  t.equal(totalOf(ap1), truthSeconds(ap1, { areas: ['AP1'] }))
  t.ok(totalOf(ap1) > 0)

  const overlapping = await usage(running, `${range}&area=OverSeas,AP1`)
  t.equal(totalOf(overlapping), truthSeconds(overlapping, { areas: ['OverSeas'] }), 'OverSeas and a part of it: counted once')

  simulator.stats.reset()
  const apps = [GRTN_APP_IDS[7]!, GRTN_APP_IDS[42]!]
  const filtered = await usage(running, `${range}&app=${apps.join(',')}&groupBy=app`)
  t.same(simulator.stats.calls.map(call => call.parameters.AppId), [apps.join(',')])
  t.equal(totalOf(filtered), truthSeconds(filtered, { apps }))
  t.same(filtered.series.map(series => series.dimensions.app).sort(), [...apps].sort())

  const profile = await usage(running, `${range}&mediaProfile=0`)
  t.ok(totalOf(profile) > 0 && totalOf(profile) < truthSeconds(profile), 'a media profile filter is applied to the records (the API cannot)')
})

t.test('EndTime is the window end; the bucket the API adds at EndTime is dropped, and a 5-minute window is allowed', async t => {
  const direct = await startDirect(t)
  const window = { from: at('2026-11-10T10:00:00Z'), to: at('2026-11-10T11:00:00Z') }
  const hourly = await direct.fetch({ window })
  t.same(direct.simulator.stats.calls.at(-1)!.parameters.EndTime, '2026-11-10T11:00:00Z')
  t.ok(hourly.records.length > 0)
  t.same(hourly.records.filter(record => !(record.start === window.from)), [], 'the 11:00 bucket the simulator also answered is the next window\'s')
  t.equal(sumValues(hourly.records), grtnTotalMinutes({ ...window, now: NOW }) * 60)

  const slot = { from: at('2026-11-10T10:05:00Z'), to: at('2026-11-10T10:10:00Z') }
  const fine = await direct.fetch({ window: slot, grid: GRTN_FIVE_MINUTES })
  const sent = direct.simulator.stats.calls.at(-1)!
  t.same([sent.parameters.StartTime, sent.parameters.EndTime, sent.parameters.Interval, sent.status], ['2026-11-10T10:05:00Z', '2026-11-10T10:10:00Z', '300', 200],
    'one 5-minute window spans exactly the 5-minute minimum (window end − 1 s would be refused)')
  t.same(fine.records.filter(record => !(record.start === slot.from && record.end === slot.to)), [])
  t.equal(sumValues(fine.records), grtnTotalMinutes({ ...slot, now: NOW }) * 60)
  t.same(direct.simulator.stats.calls.filter(call => !(call.status === 200)), [])
})

t.test('the Interval fallback: asked for 600 the simulator answers hourly, and the adapter refuses such an answer', async t => {
  const direct = await startDirect(t)
  const window = { from: at('2026-11-10T00:30:00Z'), to: at('2026-11-10T06:30:00Z') }
  const raw = await callAcs3({
    url: direct.simulator.url,
    action: GRTN_ACTION_NAME,
    version: GRTN_API_VERSION,
    account: TEST_ACCOUNT,
    date: NOW,
    parameters: { Format: 'JSON', StartTime: '2026-11-10T00:30:00Z', EndTime: '2026-11-10T06:30:00Z', Interval: '600' }
  })
  t.equal(raw.status, 200, 'no error: the value is silently replaced')
  const parsed = grtnResponseSchema.parse(raw.json)
  const starts = [...new Set(parsed.StreamDetailData!.StreamData!.map(item => item.TimeStamp))]
  t.same(starts, ['2026-11-10T00:00:00Z', '2026-11-10T01:00:00Z', '2026-11-10T02:00:00Z', '2026-11-10T03:00:00Z', '2026-11-10T04:00:00Z', '2026-11-10T05:00:00Z', '2026-11-10T06:00:00Z'],
    'hourly buckets, the first one before StartTime')
  t.throws(() => convertGrtnDuration(parsed.StreamDetailData!.StreamData!, { window, grid: GRTN_FIVE_MINUTES, dimensions: {}, apps: null }),
    { code: 'UPSTREAM_MALFORMED', message: /fallen back to hourly/ }, 'read as 5-minute buckets, that answer is refused')

  // End to end: a grid the API does not accept goes out as Interval=600 and the hourly answer is refused.
  const tenMinutes = { stepMs: 600_000, offsetMs: 0, label: '10 minutes (UTC)' }
  await t.rejects(direct.fetch({ window, grid: tenMinutes }), { code: 'UPSTREAM_MALFORMED', message: /fallen back to hourly/, requestId: /^[0-9A-F-]{36}$/ })
  t.equal(direct.simulator.stats.calls.at(-1)!.parameters.Interval, '600')
})

t.test('a wrong secret is UPSTREAM_AUTH with the provider code and request id, and no secret in the answer', async t => {
  const running = await service(t)
  const response = await running.getUsage('/usage?source=grtn-bad-secret&from=2026-11-10&to=2026-11-11')
  t.equal(response.status, 200)
  t.match(response.json.sources, [{ status: 'failed', error: { code: 'UPSTREAM_AUTH', providerCode: 'SignatureDoesNotMatch', requestId: /^[0-9A-F-]{36}$/ } }])
  t.notMatch(response.text, /test-secret-0001|not-the-secret/)
  t.same(response.json.series.flatMap(series => series.points.filter(point => !(point.value === null && point.state === 'incomplete'))), [])
})

t.test('the current hour is provisional and holds the slots up to now', async t => {
  const running = await service(t)
  const json = await usage(running, 'from=2026-11-20&to=2026-11-21&granularity=hour')
  const points = json.series[0]!.points
  const current = points.find(point => Date.parse(point.start) === NOW - (NOW % HOUR))
  t.equal(current?.state, 'provisional')
  t.equal(current?.value, grtnTotalMinutes({ from: NOW - (NOW % HOUR), to: NOW - (NOW % HOUR) + HOUR, now: NOW }) * 60)
  t.same(points.filter(point => Date.parse(point.start) > NOW).filter(point => !(point.value === null)), [], 'later hours: nothing yet')
})
