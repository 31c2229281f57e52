/** GET /usage end to end: real HTTP to the service, real signing and HTTP to the simulated production-studio API. */
import t from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { usageResponseSchema } from '../../src/schemas/usage-response-schema.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'
import { startTestService } from '../support/test-service.js'

const service = await startTestService(t, [{ id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }])
const simulator = service.simulators.studio!
const totalOf = (json: UsageResponse): number => json.series.reduce((sum, series) => sum + (series.total ?? 0), 0)

t.test('the README query: a complete answer by tier, every day present, schema-valid', async t => {
  const response = await service.getUsage('/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=Asia/Shanghai&groupBy=tier')
  t.equal(response.status, 200)
  t.ok(usageResponseSchema.safeParse(response.json).success, 'matches the documented response schema')
  const json = response.json
  t.equal(json.complete, true)
  t.equal(json.from, '2026-11-01T00:00:00+08:00')
  t.equal(json.to, '2026-11-08T00:00:00+08:00')
  t.same(json.series.map(series => `${series.metric}/${series.dimensions.tier}`).sort(), [
    'studio.output.duration/hd', 'studio.output.duration/ld', 'studio.output.duration/sd',
    'transcode.duration/hd', 'transcode.duration/ld', 'transcode.duration/sd'
  ])
  for (const series of json.series) {
    t.equal(series.unit, 'second')
    t.same(series.points.map(point => point.start.slice(0, 10)), ['01', '02', '03', '04', '05', '06', '07'].map(day => `2026-11-${day}`))
    t.same(series.points.filter(point => !(point.state === 'final' && point.value! % 60 === 0)), [], 'minutes became whole seconds')
  }
})

t.test('a 62-day query makes exactly 2 upstream calls', async t => {
  simulator.stats.reset()
  const response = await service.getUsage('/usage?from=2026-09-15&to=2026-11-16&granularity=day')
  t.equal(response.json.complete, true)
  t.equal(response.json.sources[0]!.calls, 2)
  t.equal(simulator.stats.count(), 2)
  const windows = simulator.stats.calls.map(call => [call.parameters.StartTime, call.parameters.EndTime, call.parameters.Interval])
  t.same(windows, [
    ['2026-09-15T00:00:00Z', '2026-10-15T23:59:59Z', '3600'],
    ['2026-10-16T00:00:00Z', '2026-11-15T23:59:59Z', '3600']
  ])
})

t.test('a query reaching past 90 days: that part out_of_range, null not zero', async t => {
  const response = await service.getUsage('/usage?from=2026-08-01&to=2026-09-01&granularity=day')
  const json = response.json
  t.equal(json.sources[0]!.status, 'out_of_range')
  t.equal(json.complete, false)
  const points = json.series[0]!.points
  t.same([points[0]!.value, points[0]!.state], [null, 'incomplete'])
  t.equal(points.filter(point => point.value === null).length, 21, 'Aug 1..21 are wholly older than 90 days before Nov 20 10:30Z')
  t.ok(points[21]!.value! > 0 && points[21]!.state === 'incomplete', 'Aug 22 straddles the lookback: what was obtained, marked incomplete')
  t.equal(points[22]!.state, 'final')
  t.ok(points.at(-1)!.value! > 0)
})

for (const zone of ['UTC', 'Asia/Shanghai', 'America/New_York']) {
  t.test(`day totals equal the sum of hour totals in ${zone} across the DST change`, async t => {
    const range = `from=2026-10-30&to=2026-11-04&tz=${encodeURIComponent(zone)}`
    const days = (await service.getUsage(`/usage?${range}&granularity=day`)).json
    const hours = (await service.getUsage(`/usage?${range}&granularity=hour`)).json
    t.equal(days.complete, true)
    t.equal(hours.complete, true)
    t.equal(hours.series[0]!.points.length, zone === 'America/New_York' ? 5 * 24 + 1 : 5 * 24, 'the fall-back day has 25 hours')
    for (const [index, daySeries] of days.series.entries()) {
      const hourSeries = hours.series[index]!
      t.equal(hourSeries.metric, daySeries.metric)
      for (const day of daySeries.points) {
        const inDay = hourSeries.points.filter(hour => Date.parse(hour.start) >= Date.parse(day.start) && Date.parse(hour.end) <= Date.parse(day.end))
        t.equal(inDay.reduce((sum, hour) => sum + hour.value!, 0), day.value, `${daySeries.metric} ${day.start}`)
      }
      t.equal(daySeries.total, hourSeries.total)
    }
  })
}

t.test('a month in Asia/Shanghai equals its days', async t => {
  const month = (await service.getUsage('/usage?from=2026-10-01&to=2026-11-01&granularity=month&tz=Asia/Shanghai')).json
  const days = (await service.getUsage('/usage?from=2026-10-01&to=2026-11-01&granularity=day&tz=Asia/Shanghai')).json
  t.equal(month.series[0]!.points.length, 1)
  t.equal(totalOf(month), totalOf(days))
})

t.test('days in Asia/Kolkata: 400 naming the source and a zone that would work', async t => {
  const response = await service.getError('/usage?from=2026-11-01&to=2026-11-08&granularity=day&tz=Asia/Kolkata')
  t.equal(response.status, 400)
  t.equal(response.json.error.code, 'UNALIGNED_QUERY')
  t.match(response.json.error.details, [{ message: /'studio'/ }], 'names the source')
  t.match(response.json.error.details[0]?.message, /tz=UTC/)
  t.ok((response.json.error.details[0]?.suggestedZones as string[] | undefined)?.includes('UTC'), 'UTC is suggested', { found: response.json.error.details })
})

t.test('SplitBy pushes grouping down: type slices sum to the unsplit total, and domain filters are exact', async t => {
  simulator.stats.reset()
  const all = (await service.getUsage('/usage?from=2026-11-01&to=2026-11-08')).json
  const byType = (await service.getUsage('/usage?from=2026-11-01&to=2026-11-08&groupBy=type')).json
  t.equal(simulator.stats.calls[1]!.parameters.SplitBy, 'type')
  t.same([...new Set(byType.series.map(series => series.dimensions.type))].sort(), ['slidelive', 'universal'])
  t.equal(totalOf(byType), totalOf(all))
  const domains = (await service.getUsage('/usage?from=2026-11-01&to=2026-11-08&groupBy=domain')).json
  let filteredSum = 0
  for (const domain of new Set(domains.series.map(series => series.dimensions.domain ?? ''))) {
    filteredSum += totalOf((await service.getUsage(`/usage?from=2026-11-01&to=2026-11-08&domain=${domain}`)).json)
  }
  t.equal(filteredSum, totalOf(all))
  t.match(simulator.stats.calls.at(-1)!.parameters, { DomainName: /./, SplitBy: 'domain' })
})

t.test('the app filter costs one call per app, each tagged with its app', async t => {
  simulator.stats.reset()
  const json = (await service.getUsage('/usage?from=2026-11-01&to=2026-11-03&app=liveApp,eventApp&groupBy=app')).json
  t.equal(simulator.stats.count(), 2)
  t.same(simulator.stats.calls.map(call => call.parameters.app).sort(), ['eventApp', 'liveApp'])
  t.same(json.series.filter(series => !(['liveApp', 'eventApp'].includes(series.dimensions.app ?? ''))), [])
})

t.test('CSV: format=csv or Accept: text/csv, one row per point', async t => {
  const csv = await service.get('/usage?from=2026-11-01&to=2026-11-03&groupBy=tier&format=csv')
  t.equal(csv.status, 200)
  t.match(String(csv.headers['content-type']), /^text\/csv/)
  const lines = csv.text.trim().split('\r\n')
  t.equal(lines[0], 'start,end,metric,unit,tier,value,state')
  t.equal(lines.length, 1 + 6 * 2)
  t.match(lines[1]!, /^2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,studio\.output\.duration,second,hd,\d+,final$/)
  const accepted = await service.get('/usage?from=2026-11-01&to=2026-11-03', { accept: 'text/csv' })
  t.match(String(accepted.headers['content-type']), /^text\/csv/)
})

t.test('bad query strings are 400s naming the parameter and what is accepted', async t => {
  const cases: Array<[string, string, RegExp]> = [
    ['from=2026-11-01&to=2026-11-08&tz=Mars/Olympus', 'tz', /IANA/],
    ['from=2026-11-08&to=2026-11-01', 'to', /after from/],
    ['from=2026-11-01&to=2026-11-08&metrics=transcode.duration,bogus.metric', 'metrics', /unknown metric 'bogus\.metric'.*transcode\.duration/],
    ['from=2026-13-01&to=2026-11-08', 'from', /not a date/],
    ['from=2026-11-01T00:00:00&to=2026-11-08', 'from', /offset/],
    ['to=2026-11-08', 'from', /required/],
    ['from=2026-11-01&to=2026-11-08&granularity=week', 'granularity', /hour, day, month/],
    ['from=2026-11-01&to=2026-11-08&groupBy=colour', 'groupBy', /unknown dimension/],
    ['from=2026-11-01&to=2026-11-08&format=xml', 'format', /json, csv/],
    ['from=2026-11-01&to=2026-11-08&strict=yes', 'strict', /true, false/],
    ['from=2026-11-01&to=2026-11-08&from=2026-11-02', 'from', /once/],
    ['from=2026-11-01&to=2026-11-08&colour=red', 'colour', /./],
    ['from=2026-11-01&to=2026-11-08&domain=', 'domain', /empty/]
  ]
  for (const [query, parameter, message] of cases) {
    const response = await service.getError(`/usage?${query}`)
    t.equal(response.status, 400, query)
    t.equal(response.json.error.code, 'INVALID_QUERY', query)
    const detail = response.json.error.details.find(entry => entry.parameter === parameter)
    t.ok(detail, `${query}: names ${parameter} (got ${JSON.stringify(response.json.error.details)})`)
    t.match(detail?.message ?? '', message, query)
  }
  const several = await service.getError('/usage?from=nope&to=never&tz=Nowhere/Land')
  t.same(several.json.error.details.map(entry => entry.parameter).sort(), ['from', 'to', 'tz'], 'every problem is named at once')
})

t.test('a provider filter that selects nothing is a 400', async t => {
  const response = await service.getError('/usage?from=2026-11-01&to=2026-11-08&provider=tencent')
  t.equal(response.status, 400)
  t.equal(response.json.error.code, 'NO_SOURCES')
  t.match(response.json.error.details, [{ source: 'studio', kind: 'aliyun.live-producer', message: /not selected/ }])
})

t.test('the current day is provisional, hours not yet happened are null', async t => {
  const json = (await service.getUsage('/usage?from=2026-11-20&to=2026-11-21&granularity=hour')).json
  const points = json.series[0]!.points
  t.equal(points[10]!.state, 'provisional')
  t.ok(points[10]!.value !== null, 'the current hour is fetched')
  t.same([points[11]!.value, points[11]!.state], [null, 'provisional'])
  t.equal(points[0]!.state, 'final', '00:00-01:00 ended more than the 4-hour data delay ago')
  t.equal(points[7]!.state, 'provisional', '07:00-08:00 is still inside the data delay')
})
