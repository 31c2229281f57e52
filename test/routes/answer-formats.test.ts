/**
 * format=rows and format=focus, the tabular headers, and the account dimension, through real HTTP to the app in front
 * of simulated providers: every format carries the same numbers as the JSON answer.
 */
import t from 'tap'
import { findAdapter } from '../../src/providers/registry.js'
import { SIMULATOR_STARTERS } from '../../src/simulators/index.js'
import { usageRowsSchema } from '../../src/schemas/usage-rows-schema.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'
import { startTestService } from '../support/test-service.js'

const ACCOUNT = '1234567890123456'
const service = await startTestService(t, [
  { id: 'studio', adapter: findAdapter('aliyun.live-producer')!, startSimulator: SIMULATOR_STARTERS['aliyun.live-producer'], account: ACCOUNT },
  { id: 'ims', adapter: findAdapter('aliyun.ims')!, startSimulator: SIMULATOR_STARTERS['aliyun.ims'] }
])
const RANGE = 'from=2026-11-01&to=2026-11-08&tz=Asia/Shanghai'

/** Sum of every point's value per metric: what any format of the same answer must add up to. */
function jsonTotals (json: UsageResponse): Record<string, number> {
  const totals: Record<string, number> = {}
  for (const series of json.series) {
    for (const point of series.points) totals[series.metric] = (totals[series.metric] ?? 0) + (point.value ?? 0)
  }
  return totals
}

/** A CSV body without quoted cells (none here) as objects keyed by the header. */
function parseCsv (text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.slice(0, -2).split('\r\n')
  const names = header!.split(',')
  return lines.map(line => Object.fromEntries(line.split(',').map((cell, index) => [names[index]!, cell])))
}

t.test('sources[] shows the configured account, null when unknown; account filters and groups', async t => {
  const all = await service.getUsage(`/usage?${RANGE}&groupBy=account`)
  t.equal(all.status, 200)
  t.same(Object.fromEntries(all.json.sources.map(source => [source.id, source.account])), { studio: ACCOUNT, ims: null })
  t.same([...new Set(all.json.series.map(series => series.dimensions.account))].sort(), [ACCOUNT, null])
  const warning = all.json.warnings.find(entry => entry.type === 'group_unsupported')
  t.equal(warning?.source, 'ims', 'a source without an account says its usage reads account null')

  const filtered = await service.getUsage(`/usage?${RANGE}&account=${ACCOUNT}`)
  t.equal(filtered.status, 200)
  t.same(filtered.json.sources.map(source => source.id), ['studio'], 'only the source of that account is asked')
  const studioOnly = await service.getUsage(`/usage?${RANGE}&source=studio`)
  t.same(jsonTotals(filtered.json), jsonTotals(studioOnly.json))

  const catalog = await service.getCatalog()
  t.ok(catalog.json.dimensions.some(dimension => dimension.name === 'account'), 'the catalog lists account', { found: catalog.json.dimensions.map(dimension => dimension.name) })
})

t.test('format=rows: one flat object per point, same totals as JSON, verdict in headers', async t => {
  const json = await service.getUsage(`/usage?${RANGE}&groupBy=account,tier`)
  const response = await service.get(`/usage?${RANGE}&groupBy=account,tier&format=rows`)
  t.equal(response.status, 200)
  t.match(String(response.headers['content-type']), /^application\/json/)
  t.equal(response.headers['x-usage-complete'], String(json.json.complete))
  t.equal(response.headers['x-usage-warnings'], String(json.json.warnings.length))
  const checked = usageRowsSchema.safeParse(response.json)
  t.ok(checked.success, `the documented UsageRows schema: ${checked.error?.message ?? ''}`)
  const rows = response.json as Array<Record<string, unknown>>
  t.same(rows.filter(row => !['account', 'tier'].every(name => typeof row[name] === 'string' || row[name] === null)), [], 'dimension values are strings or null')
  t.equal(rows.length, json.json.series.reduce((count, series) => count + series.points.length, 0), 'one row per point')
  t.same(rows.filter(row => Object.keys(row).join(',') !== 'start,end,metric,unit,account,tier,value,state'), [], 'every row has the same keys in order')
  t.ok(rows.some(row => row.account === null), 'a series without an account has account: null, not a missing key', { found: rows.map(row => row.account) })
  const totals: Record<string, number> = {}
  for (const row of rows) totals[row.metric as string] = (totals[row.metric as string] ?? 0) + ((row.value as number | null) ?? 0)
  t.same(totals, jsonTotals(json.json))
})

t.test('format=csv: verdict headers, an ASCII attachment filename, empty cell for a dimension a series lacks', async t => {
  const json = await service.getUsage(`/usage?${RANGE}&groupBy=account`)
  const response = await service.get(`/usage?${RANGE}&groupBy=account&format=csv`)
  t.equal(response.status, 200)
  t.equal(response.headers['x-usage-complete'], String(json.json.complete))
  t.equal(response.headers['x-usage-warnings'], String(json.json.warnings.length))
  t.equal(response.headers['content-disposition'], 'attachment; filename="usage_2026-11-01T000000+0800_2026-11-08T000000+0800_day.csv"')
  const rows = parseCsv(response.text)
  t.ok(rows.some(row => row.account === ''), 'the ims rows keep an empty account cell', { found: rows.map(row => row.account) })
  t.ok(rows.some(row => row.account === ACCOUNT), 'and the others their account', { found: rows.map(row => row.account) })
})

t.test('an answer that is not complete says so in the headers', async t => {
  // The fixed clock is 2026-11-20: years back is past every source's lookback.
  const json = await service.getUsage('/usage?from=2020-01-01&to=2020-01-03&tz=Asia/Shanghai')
  t.equal(json.json.complete, false)
  for (const format of ['csv', 'rows', 'focus']) {
    const response = await service.get(`/usage?from=2020-01-01&to=2020-01-03&tz=Asia/Shanghai&format=${format}`)
    t.equal(response.headers['x-usage-complete'], 'false', format)
    t.equal(response.headers['x-usage-warnings'], String(json.json.warnings.length), format)
  }
})

t.test('format=focus: FOCUS columns, UTC periods, same totals as JSON', async t => {
  const json = await service.getUsage(`/usage?${RANGE}&groupBy=provider,account,tier`)
  const response = await service.get(`/usage?${RANGE}&groupBy=provider,account,tier&format=focus`)
  t.equal(response.status, 200)
  t.match(String(response.headers['content-type']), /^text\/csv/)
  t.equal(response.headers['x-usage-complete'], String(json.json.complete))
  t.match(String(response.headers['content-disposition']), /^attachment; filename="usage_[A-Za-z0-9+._-]+_day_focus\.csv"$/)
  t.equal(response.text.split('\r\n')[0], 'ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ConsumedQuantity,ConsumedUnit,' +
    'ProviderName,ServiceName,RegionId,ResourceId,SubAccountId,x_Metric,x_State,x_Tier,x_RowId')
  const rows = parseCsv(response.text)
  t.equal(rows[0]?.ChargePeriodStart, '2026-10-31T16:00:00Z', 'midnight in Shanghai, in UTC')
  t.equal(rows[0]?.ChargePeriodEnd, '2026-11-01T16:00:00Z')
  t.same(rows.filter(row => row.ChargeCategory !== 'Usage' || row.ProviderName !== 'aliyun'), [])
  t.same([...new Set(rows.map(row => row.SubAccountId))].sort(), ['', ACCOUNT])
  const totals: Record<string, number> = {}
  for (const row of rows) totals[row.x_Metric!] = (totals[row.x_Metric!] ?? 0) + Number(row.ConsumedQuantity)
  t.same(totals, jsonTotals(json.json))
  t.equal(new Set(rows.map(row => row.x_RowId)).size, rows.length, 'every row its own id')
  t.same(rows.filter(row => !/^[0-9a-f]{32}$/.test(row.x_RowId!)), [])
})

t.test('x_RowId is the same for the same series and bucket in another run, range, zone or set of sources', async t => {
  const idsOf = async (query: string): Promise<Map<string, string>> => {
    const response = await service.get(`/usage?${query}&groupBy=account,tier&format=focus`)
    t.equal(response.status, 200, query)
    return new Map(parseCsv(response.text).map(row => [`${row.x_Metric}|${row.SubAccountId}|${row.x_Tier}|${row.ChargePeriodStart}|${row.ChargePeriodEnd}`, row.x_RowId!]))
  }
  const week = await idsOf(RANGE)
  const twoDays = await idsOf('from=2026-11-03T00:00:00%2B08:00&to=2026-11-05T00:00:00%2B08:00&tz=Asia/Hong_Kong')
  const studioOnly = await idsOf(`${RANGE}&source=studio`)
  t.ok(twoDays.size > 0 && studioOnly.size > 0)
  const changed = [...twoDays, ...studioOnly].filter(([key, id]) => week.get(key) !== id)
  t.same(changed, [], 'every bucket of the shorter runs has the id it has in the week')
  const hours = await idsOf('from=2026-11-03&to=2026-11-04&tz=Asia/Shanghai&granularity=hour')
  t.same([...hours.values()].filter(id => [...week.values()].includes(id)), [], 'an hour and a day starting together differ')
})

t.test('format=focus: a point without a value leaves ConsumedQuantity empty and says why in x_State', async t => {
  const json = await service.getUsage('/usage?from=2026-11-19&to=2026-11-23&tz=Asia/Shanghai&metrics=transcode.duration')
  const nulls = json.json.series.flatMap(series => series.points.filter(point => point.value === null))
  t.ok(nulls.length > 0, 'buckets after now have no value')
  const rows = parseCsv((await service.get('/usage?from=2026-11-19&to=2026-11-23&tz=Asia/Shanghai&metrics=transcode.duration&format=focus')).text)
  const empty = rows.filter(row => row.ConsumedQuantity === '')
  t.equal(empty.length, nulls.length)
  t.same(empty.map(row => row.x_State), nulls.map(point => point.state))
})

t.test('format accepts json, csv, rows, focus only; Accept: text/csv still selects CSV', async t => {
  const refused = await service.getError(`/usage?${RANGE}&format=xlsx`)
  t.equal(refused.status, 400)
  t.match(JSON.stringify(refused.json.error), /focus/)
  const csv = await service.get(`/usage?${RANGE}`, { accept: 'text/csv' })
  t.match(String(csv.headers['content-type']), /^text\/csv/)
  t.match(csv.text, /^start,end,metric,unit,value,state\r\n/)
})
