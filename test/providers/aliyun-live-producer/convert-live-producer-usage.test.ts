import t from 'tap'
import { fixedClock } from '../../../src/clock.js'
import type { UpstreamHttp, UpstreamRequest } from '../../../src/http/upstream-http.js'
import { convertLiveProducerUsage } from '../../../src/providers/aliyun-live-producer/convert-live-producer-usage.js'
import { liveProducerAdapter } from '../../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { liveProducerResponseSchema } from '../../../src/providers/aliyun-live-producer/live-producer-api.js'

const HOUR = 3_600_000
const grid = { stepMs: HOUR, offsetMs: 0, label: 'hour (UTC)' }
const window = { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-01T03:00:00Z') }
const item = (timeStamp: string, extra: Record<string, unknown> = {}) => ({
  TimeStamp: timeStamp, OutputLdDuration: 1, OutputSdDuration: 2, OutputHdDuration: 3, TranLdDuration: 4, TranSdDuration: 5, TranHdDuration: 6, ...extra
})
const parse = (items: unknown[]) => liveProducerResponseSchema.parse({ BillProducerData: { BillProducerDataItem: items } }).BillProducerData!.BillProducerDataItem!

t.test('six duration fields become two metrics by tier, minutes to whole seconds', async t => {
  const records = convertLiveProducerUsage(parse([item('2026-11-01T01:00:00Z', { Type: 'slidelive' })]), window, grid, {})
  t.same(records.map(record => [record.metric, record.dimensions.tier, record.value]), [
    ['studio.output.duration', 'ld', 60], ['studio.output.duration', 'sd', 120], ['studio.output.duration', 'hd', 180],
    ['transcode.duration', 'ld', 240], ['transcode.duration', 'sd', 300], ['transcode.duration', 'hd', 360]
  ])
  t.same(records[0]!.dimensions, { service: 'live-producer', type: 'slidelive', tier: 'ld' })
  t.same([records[0]!.start, records[0]!.end], [window.from + HOUR, window.from + 2 * HOUR])
})

t.test('numeric strings are accepted; fractions, negatives and junk are refused, never rounded', async t => {
  t.equal(convertLiveProducerUsage(parse([item('2026-11-01T00:00:00Z', { OutputHdDuration: '7' })]), window, grid, {})[2]!.value, 420)
  for (const bad of [1.5, -1, '1e3', 'ten', {}, '']) {
    t.throws(() => parse([item('2026-11-01T00:00:00Z', { OutputHdDuration: bad })]), JSON.stringify(bad))
  }
})

t.test('an absent or null duration field is refused, never read as 0; an empty answer is no records', async t => {
  t.throws(() => parse([{ TimeStamp: '2026-11-01T00:00:00Z', TranHdDuration: 2 }]), /absent or null/)
  t.throws(() => parse([item('2026-11-01T00:00:00Z', { OutputSdDuration: null })]), /absent or null/)
  t.same(convertLiveProducerUsage(parse([]), window, grid, {}), [])
  t.same(liveProducerResponseSchema.parse({ RequestId: 'x' }).BillProducerData, undefined)
})

t.test('buckets outside the window (EndTime inclusive on the API side) are dropped, never double counted', async t => {
  const records = convertLiveProducerUsage(parse([item('2026-10-31T23:00:00Z'), item('2026-11-01T02:00:00Z'), item('2026-11-01T03:00:00Z')]), window, grid, {})
  t.same([...new Set(records.map(record => record.start))], [Date.parse('2026-11-01T02:00:00Z')])
})

t.test('a TimeStamp off the asked grid or not UTC ISO is a malformed answer', async t => {
  t.throws(() => convertLiveProducerUsage(parse([item('2026-11-01T00:30:00Z')]), window, grid, {}), { code: 'UPSTREAM_MALFORMED' })
  t.throws(() => convertLiveProducerUsage(parse([item('2026-11-01 00:00:00')]), window, grid, {}), { code: 'UPSTREAM_MALFORMED' })
})

t.test('variants push grouping and filters down; apps cost one call each', async t => {
  const settings = { regionId: 'cn-shanghai' }
  t.same(liveProducerAdapter.variants({ groupBy: [], filters: {}, grid }, settings), [{ parameters: { regionId: 'cn-shanghai', splitBy: [], filters: {} }, dimensions: {} }])
  t.same(liveProducerAdapter.variants({ groupBy: ['type', 'tier'], filters: { domain: ['a.com', 'b.com'] }, grid }, settings), [{
    parameters: { regionId: 'cn-shanghai', splitBy: ['domain', 'type'], filters: { domain: ['a.com', 'b.com'] } }, dimensions: {}
  }])
  const apps = liveProducerAdapter.variants({ groupBy: [], filters: { app: ['x', 'y'], region: ['cn-beijing'] }, grid }, settings)
  t.same(apps, [
    { parameters: { regionId: 'cn-shanghai', splitBy: ['region'], filters: { region: ['cn-beijing'] }, app: 'x' }, dimensions: { app: 'x' } },
    { parameters: { regionId: 'cn-shanghai', splitBy: ['region'], filters: { region: ['cn-beijing'] }, app: 'y' }, dimensions: { app: 'y' } }
  ])
})

t.test('an item listed twice is refused, while one item legitimately becomes six records', async t => {
  const twice = parse([item('2026-11-01T01:00:00Z', { Type: 'slidelive' }), item('2026-11-01T01:00:00Z', { Type: 'slidelive' })])
  t.throws(() => convertLiveProducerUsage(twice, window, grid, {}), { code: 'UPSTREAM_MALFORMED', message: /lists the same bucket twice.*Type=slidelive/ })
  const split = parse([item('2026-11-01T01:00:00Z', { Type: 'slidelive' }), item('2026-11-01T01:00:00Z', { Type: 'universal' })])
  t.equal(convertLiveProducerUsage(split, window, grid, {}).length, 12, 'two types in one hour are two buckets')
})

t.test('an item without a field the call split by is refused: its usage could not be attributed', async t => {
  const items = parse([item('2026-11-01T01:00:00Z')])
  t.throws(() => convertLiveProducerUsage(items, window, grid, {}, ['Type']), { code: 'UPSTREAM_MALFORMED', message: /no Type although the call split by it/ })
  t.equal(convertLiveProducerUsage(parse([item('2026-11-01T01:00:00Z', { Type: 'x' })]), window, grid, {}, ['Type']).length, 6)
})

t.test('minutes whose seconds pass 2^53 - 1 are refused naming the value; just below is exact', async t => {
  const largest = Math.floor(Number.MAX_SAFE_INTEGER / 60)
  const [record] = convertLiveProducerUsage(parse([item('2026-11-01T01:00:00Z', { OutputLdDuration: String(largest) })]), window, grid, {})
  t.equal(BigInt(record!.value), BigInt(largest) * 60n)
  t.throws(() => convertLiveProducerUsage(parse([item('2026-11-01T01:00:00Z', { OutputLdDuration: largest + 1 })]), window, grid, {}),
    { code: 'UPSTREAM_MALFORMED', message: new RegExp(`OutputLdDuration of 2026-11-01T01:00:00Z ${largest + 1} minutes`) })
})

t.test('the lists of a variant become the comma lists the API takes only on the wire', async t => {
  const [variant] = liveProducerAdapter.variants({ groupBy: ['instance'], filters: { domain: ['a.com', 'b.com'], type: ['slidelive'], app: ['x'] }, grid }, { regionId: 'cn-beijing' })
  const sent: UpstreamRequest[] = []
  const http: UpstreamHttp = {
    send: async request => {
      sent.push(request)
      return { status: 200, headers: {}, body: JSON.stringify({ RequestId: 'REQ', BillProducerData: { BillProducerDataItem: [] } }) }
    },
    close: async () => {}
  }
  const credentials = { accessKeyId: 'id', accessKeySecret: 'secret' }
  const source = { id: 'producer', kind: liveProducerAdapter.kind, endpoint: 'http://127.0.0.1:1', qps: 5, concurrency: 1, simulated: true, credentials, settings: { regionId: 'cn-beijing' } }
  await liveProducerAdapter.fetch({ window, grid, variant: variant!, key: 'k' }, { source, http, clock: fixedClock(window.to), signal: new AbortController().signal })
  const query = new URL(sent[0]!.url).searchParams
  t.same(['RegionId', 'SplitBy', 'DomainName', 'Type', 'app'].map(name => query.get(name)), ['cn-beijing', 'domain,instance,type', 'a.com,b.com', 'slidelive', 'x'])
  t.same(['Region', 'Instance'].map(name => query.get(name)), [null, null], 'no filter, no parameter')
})
