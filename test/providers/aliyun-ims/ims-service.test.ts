/**
 * The kind's behaviour (docs/providers/aliyun-ims.md) through the whole service over real HTTP: GET /usage →
 * planner → adapter → simulated ICE gateway.
 */
import type { ResponseSeries } from '../../../src/usage/usage-response.js'
import t, { type Test } from 'tap'
import { imsAdapter } from '../../../src/providers/aliyun-ims/ims-adapter.js'
import { IMS_SUMMARY_FIELDS, imsSendsAsString, imsTruth, startImsSimulator, type ImsSimulator } from '../../../src/simulators/aliyun-ims/ims-simulator.js'
import { createUpstreamHttp } from '../../../src/http/upstream-http.js'
import { fixedClock } from '../../../src/clock.js'
import type { FetchResult } from '../../../src/usage/source-adapter.js'
import { TEST_ACCOUNT, TEST_NOW, startTestService, type TestService } from '../../support/test-service.js'

const HOUR = 3_600_000
const DAY = 86_400_000

const service: TestService = await startTestService(t, [
  { id: 'ims', adapter: imsAdapter, startSimulator: startImsSimulator },
  { id: 'ims-bad-secret', adapter: imsAdapter, startSimulator: startImsSimulator, wrongSecret: true }
])
const simulator = service.simulators.ims as ImsSimulator
const http = createUpstreamHttp({ timeoutMs: 5_000 })
t.teardown(() => http.close())
// The direct reference calls go to a second simulator (same deterministic data, same clock), so they never spend the
// service's QPS budget behind its rate gate's back.
const reference = await startImsSimulator({ accounts: [TEST_ACCOUNT], clock: fixedClock(TEST_NOW), qps: 1000 })
t.teardown(() => reference.close())

/** One upstream call for the whole range, straight through the adapter: the reference the buckets must add up to. */
async function oneCall (from: number, to: number): Promise<FetchResult> {
  return await imsAdapter.fetch(
    { window: { from, to }, grid: null, variant: { parameters: {}, dimensions: {} }, key: 'one-call' },
    {
      source: {
        id: 'direct',
        kind: imsAdapter.kind,
        endpoint: reference.url,
        qps: 10,
        concurrency: 1,
        credentials: { accessKeyId: TEST_ACCOUNT.accessKeyId, accessKeySecret: TEST_ACCOUNT.accessKeySecret },
        simulated: true,
        settings: {}
      },
      http,
      clock: fixedClock(TEST_NOW),
      signal: new AbortController().signal
    }
  )
}

const seriesKey = (series: ResponseSeries): string => `${series.metric}/${series.dimensions.mode}`
const recordKey = (record: { metric: string, dimensions: Record<string, string> }): string => `${record.metric}/${record.dimensions.mode}`

async function hourlyEqualsOneCall (t: Test, zone: string, from: string, to: string): Promise<void> {
  simulator.stats.reset()
  const response = await service.getUsage(`/usage?from=${from}&to=${to}&granularity=hour&tz=${encodeURIComponent(zone)}&groupBy=mode&source=ims`)
  t.equal(response.status, 200, response.text.slice(0, 300))
  const json = response.json
  t.equal(json.complete, true)
  t.equal(json.sources[0]!.calls, 48, '48 hourly buckets, 48 calls')
  t.equal(simulator.stats.count('DescribeMeterImsSummary'), 48)
  t.same(simulator.stats.calls.filter(call => !(call.status === 200)), [])

  const rangeFrom = Date.parse(json.from)
  const rangeTo = Date.parse(json.to)
  t.equal(rangeTo - rangeFrom, 2 * DAY)
  const windows = simulator.stats.calls.map(call => [Number(call.parameters.StartTs) * 1000, Number(call.parameters.EndTs) * 1000] as const)
    .sort((left, right) => left[0] - right[0])
  t.same(windows, Array.from({ length: 48 }, (_, index) => [rangeFrom + index * HOUR, rangeFrom + (index + 1) * HOUR]), 'one call per local hour, nothing else')
  t.ok(windows.some(([start, end]) => IMS_SUMMARY_FIELDS.some(field => imsSendsAsString(field, String(start / 1000), String(end / 1000)))),
    'some hours were answered with numeric strings', { found: windows })

  reference.stats.reset()
  const whole = await oneCall(rangeFrom, rangeTo)
  t.equal(reference.stats.count(), 1, 'the reference is one call for the two days')
  t.equal(json.series.length, 8, 'one series per metric and mode')
  for (const series of json.series) {
    t.equal(series.points.length, 48)
    const record = whole.records.find(entry => recordKey(entry) === seriesKey(series))
    t.equal(series.total, record?.value, `${seriesKey(series)}: the 48 hourly answers add up to the one two-day answer`)
  }
  const total = json.series.reduce((sum, series) => sum + (series.total ?? 0), 0)
  t.equal(total, imsTruth({ from: rangeFrom, to: rangeTo }, TEST_NOW))
  t.ok(total > 0)
}

t.test('an hourly query over two days makes 48 calls and equals one two-day call (UTC)', async t => {
  await hourlyEqualsOneCall(t, 'UTC', '2026-11-10', '2026-11-12')
})

t.test('the same in Asia/Kolkata, whose hours start at :30 UTC', async t => {
  await hourlyEqualsOneCall(t, 'Asia/Kolkata', '2026-11-10', '2026-11-12')
  t.same(simulator.stats.calls.filter(call => !((Number(call.parameters.StartTs) / 60) % 60 === 30)), [], 'every call starts at half past a UTC hour')
})

t.test('a month longer than 31 days (Europe/Berlin October) is asked in two parts and exact', async t => {
  simulator.stats.reset()
  const response = await service.getUsage('/usage?from=2026-10-01&to=2026-11-01&granularity=month&tz=Europe/Berlin&source=ims')
  t.equal(response.status, 200, response.text.slice(0, 300))
  t.equal(response.json.complete, true)
  t.equal(Date.parse(response.json.to) - Date.parse(response.json.from), 31 * DAY + HOUR)
  t.equal(simulator.stats.count(), 2)
  t.same(simulator.stats.calls.filter(call => !(call.status === 200)), [])
  const total = response.json.series.reduce((sum, series) => sum + (series.total ?? 0), 0)
  t.equal(total, imsTruth({ from: Date.parse(response.json.from), to: Date.parse(response.json.to) }, TEST_NOW))

  t.same(simulator.stats.calls.map(call => Number(call.parameters.EndTs) - Number(call.parameters.StartTs)), [31 * 86_400, 3600], 'split by the planner: 31 days, then the extra hour')
  // Both parts went through the rate gate: a busy source right after stays within the account's QPS.
  const busy = await service.getUsage('/usage?from=2026-10-20&to=2026-11-05&granularity=day&tz=Europe/Berlin&source=ims')
  t.equal(busy.json.complete, true)
  t.equal(simulator.stats.throttled(), 0, 'no call was throttled')
})

t.test('filters on mode are exact; a region filter leaves the source out, as it cannot be honoured', async t => {
  const live = await service.getUsage('/usage?from=2026-11-10&to=2026-11-12&granularity=day&mode=live&groupBy=mode&source=ims')
  t.equal(live.status, 200)
  t.same([...new Set(live.json.series.map(series => series.dimensions.mode))], ['live'])
  t.same(live.json.series.map(series => series.metric).sort(), ['editing.duration', 'recording.duration', 'snapshot.count', 'transcode.duration'])
  const region = await service.getError('/usage?from=2026-11-10&to=2026-11-12&granularity=day&region=cn-shanghai&source=ims')
  t.equal(region.status, 400)
  t.equal(region.json.error.code, 'NO_SOURCES')
})

t.test('a wrong secret is UPSTREAM_AUTH with the provider code, never a zero', async t => {
  const response = await service.getUsage('/usage?from=2026-11-10&to=2026-11-12&granularity=day&source=ims-bad-secret')
  t.equal(response.status, 200)
  t.equal(response.json.complete, false)
  t.match(response.json.sources[0], { status: 'failed', error: { code: 'UPSTREAM_AUTH', providerCode: 'SignatureDoesNotMatch', requestId: String } })
  t.same(response.json.series.flatMap(series => series.points.filter(point => point.value !== null)), [])
})

t.test('Meter.ReadyTsError from the provider fails the source as UPSTREAM_SERVER; strict=true is a 502', async t => {
  simulator.meterFaults.inject('Meter.ReadyTsError', Number.POSITIVE_INFINITY)
  try {
    // A range no earlier test asked for, so no cached answer stands in for the provider.
    const response = await service.getUsage('/usage?from=2026-11-13&to=2026-11-15&granularity=day&source=ims')
    t.match(response.json.sources[0], { status: 'failed', error: { code: 'UPSTREAM_SERVER', providerCode: 'Meter.ReadyTsError' } })
    const strict = await service.get('/usage?from=2026-11-13&to=2026-11-15&granularity=day&source=ims&strict=true')
    t.equal(strict.status, 502)
  } finally {
    simulator.meterFaults.clear()
  }
})
