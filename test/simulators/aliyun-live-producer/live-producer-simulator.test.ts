import t from 'tap'
import { z } from 'zod'
import { fixedClock } from '../../../src/clock.js'
import {
  describeLiveProducerUsageData, LIVE_PRODUCER_FIELDS, LIVE_PRODUCER_INSTANCES, liveProducerMinutes, startLiveProducerSimulator,
  type RunningSimulator
} from '../../../src/simulators/index.js'
import { ACCOUNT, callAcs3, NOW, type CallAnswer, type TapTest } from '../aliyun/aliyun-test-client.js'
import { producerUsageOf } from '../aliyun/producer-usage-answer.js'

const itemSchema = z.record(z.string(), z.union([z.string(), z.number()]))
type Item = z.infer<typeof itemSchema>
const usageOf = (answer: CallAnswer) => producerUsageOf(answer, itemSchema)
const HOUR = 3_600_000
const DAY = 86_400_000

async function startSimulator (t: TapTest): Promise<RunningSimulator> {
  const simulator = await startLiveProducerSimulator({ accounts: [ACCOUNT], clock: fixedClock(NOW), qps: 1000 })
  t.teardown(() => simulator.close())
  return simulator
}

async function query (simulator: RunningSimulator, parameters: Record<string, string>, format: string | null = 'JSON') {
  return await callAcs3({
    url: simulator.url,
    action: 'DescribeLiveProducerUsageData',
    version: '2016-11-01',
    parameters: format === null ? parameters : { ...parameters, Format: format }
  })
}

async function items (simulator: RunningSimulator, parameters: Record<string, string>): Promise<Item[]> {
  const answer = await query(simulator, parameters)
  if (answer.status !== 200) throw new Error(`unexpected ${answer.status}: ${answer.text}`)
  return usageOf(answer).BillProducerData.BillProducerDataItem
}

/** Sums the six fields per TimeStamp (or per day of the TimeStamp), whatever the split. */
function totalsBy (rows: Item[], keyOf: (timeStamp: string) => string = timeStamp => timeStamp): Record<string, Record<string, number>> {
  const totals: Record<string, Record<string, number>> = {}
  for (const row of rows) {
    const bucket = (totals[keyOf(String(row.TimeStamp))] ??= Object.fromEntries(LIVE_PRODUCER_FIELDS.map(field => [field, 0])))
    for (const field of LIVE_PRODUCER_FIELDS) bucket[field] = (bucket[field] ?? 0) + Number(row[field])
  }
  return totals
}

const DAY_WINDOW = { StartTime: '2026-11-19T00:00:00Z', EndTime: '2026-11-19T23:59:59Z' }

t.test('a happy call answers 24 hourly aggregated items', async t => {
  const simulator = await startSimulator(t)
  const answer = await query(simulator, { ...DAY_WINDOW, Interval: '3600' })
  t.equal(answer.status, 200)
  t.match(answer.headers['content-type'], /^application\/json/)
  t.match(answer.json, { RequestId: answer.headers['x-acs-request-id'], StartTime: DAY_WINDOW.StartTime, EndTime: DAY_WINDOW.EndTime })
  const rows: Item[] = usageOf(answer).BillProducerData.BillProducerDataItem
  t.equal(rows.length, 24)
  t.same(rows.map(row => row.TimeStamp), Array.from({ length: 24 }, (_, hour) => `2026-11-19T${String(hour).padStart(2, '0')}:00:00Z`))
  for (const row of rows) {
    t.same(Object.keys(row).sort(), [...LIVE_PRODUCER_FIELDS, 'TimeStamp'].sort(), 'no split fields without SplitBy')
    t.same(LIVE_PRODUCER_FIELDS.filter(field => !(Number.isInteger(row[field]) && Number(row[field]) >= 0)), [], 'non-negative integer minutes')
  }
  const expected = LIVE_PRODUCER_INSTANCES.reduce((sum, { instance }) => sum + liveProducerMinutes(instance, Date.parse('2026-11-19T05:00:00Z'), 'TranHdDuration'), 0)
  t.equal(rows[5]?.TranHdDuration, expected, 'the aggregate is the sum over instances')
  t.ok(rows.some(row => LIVE_PRODUCER_FIELDS.some(field => Number(row[field]) > 0)), 'there is usage', { found: rows })
})

t.test('the same query answers the same items', async t => {
  const simulator = await startSimulator(t)
  const first = await query(simulator, { ...DAY_WINDOW, SplitBy: 'instance' })
  const second = await query(simulator, { ...DAY_WINDOW, SplitBy: 'instance' })
  t.same(usageOf(second).BillProducerData, usageOf(first).BillProducerData)
  t.not(usageOf(second).RequestId, usageOf(first).RequestId)
  t.equal(usageOf(first).BillProducerData.BillProducerDataItem.length, 24 * LIVE_PRODUCER_INSTANCES.length, 'Interval defaults to 3600')
})

t.test('idle hours are real zeros', async t => {
  const zeroHours = LIVE_PRODUCER_INSTANCES.flatMap(({ instance }) => Array.from({ length: 24 * 7 }, (_, hour) => NOW - hour * HOUR)
    .filter(hour => LIVE_PRODUCER_FIELDS.every(field => liveProducerMinutes(instance, hour, field) === 0)))
  t.ok(zeroHours.length > 0, 'some instance-hours have no usage at all')
  t.equal(liveProducerMinutes('not-an-instance', NOW, 'OutputHdDuration'), 0)
  t.equal(liveProducerMinutes(LIVE_PRODUCER_INSTANCES[0]!.instance, NOW, 'OutputHdDuration'),
    liveProducerMinutes(LIVE_PRODUCER_INSTANCES[0]!.instance, NOW - 30 * 60_000, 'OutputHdDuration'), 'any instant in the hour names the hour')
})

t.test('hours after the current one have no data; the current hour is answered', async t => {
  const simulator = await startSimulator(t)
  const today = await items(simulator, { StartTime: '2026-11-20T00:00:00Z', EndTime: '2026-11-20T23:59:59Z' })
  t.equal(today.length, 11)
  t.equal(today.at(-1)?.TimeStamp, '2026-11-20T10:00:00Z')
  const future = await items(simulator, { StartTime: '2026-11-21T00:00:00Z', EndTime: '2026-11-21T23:59:59Z' })
  t.same(future, [], 'a window wholly in the future is empty, not an error')
})

t.test('a day equals the sum of its hours, for every split', async t => {
  const simulator = await startSimulator(t)
  const window = { StartTime: '2026-11-10T00:00:00Z', EndTime: '2026-11-20T23:59:59Z' }
  for (const SplitBy of ['', 'type', 'domain,region']) {
    const days = await items(simulator, { ...window, Interval: '86400', SplitBy })
    const hours = await items(simulator, { ...window, Interval: '3600', SplitBy })
    t.equal(new Set(days.map(row => row.TimeStamp)).size, 11, 'ten full days and today so far')
    t.same(days.filter(row => !(String(row.TimeStamp).endsWith('T00:00:00Z'))), [], 'day buckets start at UTC midnight')
    t.same(totalsBy(days, timeStamp => timeStamp.slice(0, 10)), totalsBy(hours, timeStamp => timeStamp.slice(0, 10)), `SplitBy=${SplitBy}`)
  }
})

t.test('SplitBy slices sum exactly to the unsplit total and carry only their fields', async t => {
  const simulator = await startSimulator(t)
  const window = { StartTime: '2026-11-01T00:00:00Z', EndTime: '2026-11-03T23:59:59Z' }
  const unsplit = totalsBy(await items(simulator, window))
  const splits: Array<[string, string[], number]> = [
    ['type', ['Type'], 2], ['domain', ['DomainName'], 3], ['region', ['Region'], 2], ['instance', ['Instance'], 6],
    ['domain,region,instance,type', ['DomainName', 'Region', 'Instance', 'Type'], 6]
  ]
  for (const [SplitBy, fields, perBucket] of splits) {
    const rows = await items(simulator, { ...window, SplitBy })
    t.equal(rows.length, 72 * perBucket, `SplitBy=${SplitBy}: one item per combination per bucket`)
    t.same(rows.filter(row => !(['DomainName', 'Region', 'Instance', 'Type'].every(field => (field in row) === fields.includes(field)))), [])
    t.same(totalsBy(rows), unsplit, `SplitBy=${SplitBy} sums to the total`)
  }
  const byType = await items(simulator, { ...window, SplitBy: 'type' })
  t.same(new Set(byType.map(row => row.Type)), new Set(['slidelive', 'universal']))
})

t.test('filters select instances; combined with SplitBy they match the slices', async t => {
  const simulator = await startSimulator(t)
  const bySplit = await items(simulator, { ...DAY_WINDOW, SplitBy: 'type' })
  const slidelive = await items(simulator, { ...DAY_WINDOW, Type: 'slidelive' })
  t.same(totalsBy(slidelive), totalsBy(bySplit.filter(row => row.Type === 'slidelive')))
  const both = await items(simulator, { ...DAY_WINDOW, Type: 'slidelive,universal' })
  t.same(totalsBy(both), totalsBy(bySplit))

  const beijing = await items(simulator, { ...DAY_WINDOW, Region: 'cn-beijing', SplitBy: 'instance' })
  t.same(new Set(beijing.map(row => row.Instance)), new Set(LIVE_PRODUCER_INSTANCES.filter(instance => instance.region === 'cn-beijing').map(instance => instance.instance)))
  const oneApp = await items(simulator, { ...DAY_WINDOW, app: 'eventApp', SplitBy: 'domain' })
  t.same(new Set(oneApp.map(row => row.DomainName)), new Set(['events.example.net']))
  const oneInstance = LIVE_PRODUCER_INSTANCES[2]!
  const single = await items(simulator, { ...DAY_WINDOW, Instance: oneInstance.instance, DomainName: `${oneInstance.domain},unknown.example` })
  t.equal(single[7]?.OutputSdDuration, liveProducerMinutes(oneInstance.instance, Date.parse('2026-11-19T07:00:00Z'), 'OutputSdDuration'))

  t.same(await items(simulator, { ...DAY_WINDOW, DomainName: 'unknown.example' }), [], 'no instance passes: an empty list')
  t.same(await items(simulator, { ...DAY_WINDOW, DomainName: 'unknown.example', SplitBy: 'type' }), [])
})

t.test('EndTime is inclusive: a careless client double-counts the bucket at the seam', async t => {
  const simulator = await startSimulator(t)
  const stamps = async (parameters: Record<string, string>): Promise<unknown[]> => (await items(simulator, parameters)).map(row => row.TimeStamp)
  t.same(await stamps({ StartTime: '2026-11-19T00:00:00Z', EndTime: '2026-11-19T01:00:00Z' }), ['2026-11-19T00:00:00Z', '2026-11-19T01:00:00Z'])
  t.same(await stamps({ StartTime: '2026-11-19T00:00:00Z', EndTime: '2026-11-19T00:59:59Z' }), ['2026-11-19T00:00:00Z'])
  t.same(await stamps({ StartTime: '2026-11-19T00:30:00Z', EndTime: '2026-11-19T00:59:59Z' }), ['2026-11-19T00:00:00Z'], 'StartTime is floored to the interval')
  t.same(await stamps({ StartTime: '2026-11-18T12:00:00Z', EndTime: '2026-11-19T00:00:00Z', Interval: '86400' }), ['2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z'])

  const careless = [...await items(simulator, { StartTime: '2026-11-19T00:00:00Z', EndTime: '2026-11-19T12:00:00Z' }),
    ...await items(simulator, { StartTime: '2026-11-19T12:00:00Z', EndTime: '2026-11-20T00:00:00Z' })]
  t.equal(careless.filter(row => row.TimeStamp === '2026-11-19T12:00:00Z').length, 2, 'the seam hour twice')
  const careful = [...await items(simulator, { StartTime: '2026-11-19T00:00:00Z', EndTime: '2026-11-19T11:59:59Z' }),
    ...await items(simulator, { StartTime: '2026-11-19T12:00:00Z', EndTime: '2026-11-19T23:59:59Z' })]
  t.same(totalsBy(careful, () => 'day'), totalsBy(await items(simulator, { ...DAY_WINDOW, Interval: '86400' }), () => 'day'))
})

t.test('documented parameter errors', async t => {
  const simulator = await startSimulator(t)
  const cases: Array<[string, Record<string, string>, string]> = [
    ['span over 31 days', { StartTime: '2026-10-01T00:00:00Z', EndTime: '2026-11-01T00:00:01Z' }, 'InvalidTimeSpan'],
    ['older than 90 days', { StartTime: '2026-08-22T10:29:59Z', EndTime: '2026-08-23T00:00:00Z' }, 'InvalidTime.ValueNotSupported'],
    ['Interval 300', { ...DAY_WINDOW, Interval: '300' }, 'InvalidParameter.Interval'],
    ['Interval 3600.0', { ...DAY_WINDOW, Interval: '3600.0' }, 'InvalidParameter.Interval'],
    ['StartTime with a space', { StartTime: '2026-11-19 00:00:00', EndTime: DAY_WINDOW.EndTime }, 'InvalidStartTime.Malformed'],
    ['StartTime missing', { EndTime: DAY_WINDOW.EndTime }, 'InvalidStartTime.Malformed'],
    ['StartTime impossible', { StartTime: '2026-02-30T00:00:00Z', EndTime: DAY_WINDOW.EndTime }, 'InvalidStartTime.Malformed'],
    ['EndTime with an offset', { StartTime: DAY_WINDOW.StartTime, EndTime: '2026-11-19T23:59:59+08:00' }, 'InvalidEndTime.Malformed'],
    ['EndTime with milliseconds', { StartTime: DAY_WINDOW.StartTime, EndTime: '2026-11-19T23:59:59.000Z' }, 'InvalidEndTime.Malformed'],
    ['EndTime equal to StartTime', { StartTime: DAY_WINDOW.StartTime, EndTime: DAY_WINDOW.StartTime }, 'InvalidEndTime.Mismatch'],
    ['EndTime before StartTime', { StartTime: DAY_WINDOW.EndTime, EndTime: DAY_WINDOW.StartTime }, 'InvalidEndTime.Mismatch'],
    ['SplitBy app', { ...DAY_WINDOW, SplitBy: 'type,app' }, 'InvalidParameter.SplitBy'],
    ['Type unknown', { ...DAY_WINDOW, Type: 'slidelive,studio' }, 'InvalidParameter.Type']
  ]
  for (const [name, parameters, code] of cases) {
    const answer = await query(simulator, parameters)
    t.equal(answer.status, 400, name)
    t.match(answer.json, { Code: code, HostId: 'live.aliyuncs.com', RequestId: String, Message: String, Recommend: String }, name)
  }
  t.equal((await query(simulator, { StartTime: '2026-10-01T00:00:00Z', EndTime: '2026-11-01T00:00:00Z' })).status, 200, 'exactly 31 days is allowed')
  t.equal((await query(simulator, { StartTime: '2026-08-22T10:30:00Z', EndTime: '2026-08-23T00:00:00Z' })).status, 200, 'exactly 90 days back is allowed')
})

t.test('without Format=JSON the answer is XML, like the real Live API', async t => {
  const simulator = await startSimulator(t)
  const answer = await query(simulator, { ...DAY_WINDOW, SplitBy: 'type' }, null)
  t.equal(answer.status, 200)
  t.match(answer.headers['content-type'], /^text\/xml/)
  t.match(answer.text, /^<\?xml version='1\.0' encoding='UTF-8'\?><DescribeLiveProducerUsageDataResponse><RequestId>[0-9A-F-]{36}<\/RequestId><StartTime>2026-11-19T00:00:00Z<\/StartTime>/)
  t.equal(answer.text.match(/<BillProducerDataItem>/g)?.length, 48)
  t.match(answer.text, /<BillProducerDataItem><Type>(universal|slidelive)<\/Type><OutputLdDuration>\d+<\/OutputLdDuration>/)
  t.match(answer.text, /<\/BillProducerData><\/DescribeLiveProducerUsageDataResponse>$/)
  t.equal((await query(simulator, DAY_WINDOW, 'json')).status, 200)
  t.match((await query(simulator, DAY_WINDOW, 'json')).headers['content-type'], /^application\/json/, 'the Format value is case-insensitive')
  t.match((await query(simulator, DAY_WINDOW, 'XML')).headers['content-type'], /^text\/xml/)
})

t.test('the handler can be called directly', async t => {
  const result = describeLiveProducerUsageData({ parameters: { ...DAY_WINDOW, Interval: '86400' }, accessKeyId: 'any', now: NOW, requestId: 'ID' })
  t.match(result, { status: 200, body: { RequestId: 'ID', BillProducerData: { BillProducerDataItem: [{ TimeStamp: '2026-11-19T00:00:00Z' }] } } })
  t.match(describeLiveProducerUsageData({ parameters: {}, accessKeyId: 'any', now: NOW + DAY, requestId: 'ID' }), { status: 400, code: 'InvalidStartTime.Malformed' })
})
