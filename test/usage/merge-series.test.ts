import fc from 'fast-check'
import t from 'tap'
import { listBuckets, widenRange, type Bucket } from '../../src/time/index.js'
import { MisalignedRecordError, mergeSeries, type SourceOutcome } from '../../src/usage/merge-series.js'
import type { UsageRecord } from '../../src/usage/source-adapter.js'
import { HOUR } from '../support/fake-adapter.js'
import { propertySeed } from '../support/property-seed.js'

const T0 = Date.parse('2026-11-01T00:00:00Z')
const hours = (count: number): Bucket[] => Array.from({ length: count }, (_, index) => ({ start: T0 + index * HOUR, end: T0 + (index + 1) * HOUR }))
const record = (hour: number, value: number, dimensions: Record<string, string> = {}): UsageRecord =>
  ({ metric: 'transcode.duration', start: T0 + hour * HOUR, end: T0 + (hour + 1) * HOUR, value, dimensions })

function source (id: string, records: UsageRecord[], spans: SourceOutcome['spans'], settledBefore = Number.POSITIVE_INFINITY): SourceOutcome {
  return {
    identity: { provider: 'aliyun', source: id },
    metrics: new Set(['transcode.duration']),
    records: records.map(entry => ({ ...entry, dimensions: { ...entry.dimensions, provider: 'aliyun', source: id } })),
    spans,
    settledBefore
  }
}
const okSpan = (from: number, to: number) => ({ from: T0 + from * HOUR, to: T0 + to * HOUR, status: 'ok' as const })

t.test('two sources sum exactly; a reported zero stays 0 and the total counts it', async t => {
  const [series] = mergeSeries({
    buckets: hours(3),
    groupBy: [],
    sources: [
      source('a', [record(0, 60), record(1, 0), record(2, 120)], [okSpan(0, 3)]),
      source('b', [record(0, 30)], [okSpan(0, 3)])
    ]
  })
  t.same(series!.points.map(point => [point.value, point.state]), [[90, 'final'], [0, 'final'], [120, 'final']])
  t.same([series!.total, series!.partialTotal], [210, 210])
})

t.test('a failed window: what was obtained, incomplete; nothing obtained: null, not zero', async t => {
  const [series] = mergeSeries({
    buckets: hours(3),
    groupBy: [],
    sources: [
      source('a', [record(0, 60), record(1, 60)], [okSpan(0, 3)]),
      source('b', [], [okSpan(0, 1), { from: T0 + HOUR, to: T0 + 3 * HOUR, status: 'failed' }])
    ]
  })
  t.same(series!.points.map(point => [point.value, point.state]), [[60, 'final'], [60, 'incomplete'], [0, 'incomplete']])
  t.same([series!.total, series!.partialTotal], [null, 120], 'no total of an incomplete series: the sum obtained has its own name')
  const [alone] = mergeSeries({
    buckets: hours(2),
    groupBy: [],
    sources: [source('b', [], [{ from: T0, to: T0 + 2 * HOUR, status: 'failed' }])]
  })
  t.same(alone!.points.map(point => [point.value, point.state]), [[null, 'incomplete'], [null, 'incomplete']])
  t.same([alone!.total, alone!.partialTotal], [null, null], 'nothing obtained: no partial sum either')
})

t.test('out_of_range and unaligned are null and incomplete; future is null and provisional', async t => {
  const [series] = mergeSeries({
    buckets: hours(3),
    groupBy: [],
    sources: [source('a', [record(1, 60)], [
      { from: T0, to: T0 + HOUR, status: 'out_of_range' }, okSpan(1, 2), { from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, status: 'future' }
    ])]
  })
  t.same(series!.points.map(point => [point.value, point.state]), [[null, 'incomplete'], [60, 'final'], [null, 'provisional']])
  t.same([series!.total, series!.partialTotal], [null, 60])
})

t.test('buckets ending after the settle instant are provisional', async t => {
  const [series] = mergeSeries({ buckets: hours(3), groupBy: [], sources: [source('a', [record(0, 1)], [okSpan(0, 3)], T0 + 2 * HOUR)] })
  t.same(series!.points.map(point => point.state), ['final', 'final', 'provisional'])
  t.same([series!.total, series!.partialTotal], [1, 1], 'provisional points with values still have a total')
})

t.test('groupBy splits series; a dimension a record lacks is null; series are sorted', async t => {
  const series = mergeSeries({
    buckets: hours(1),
    groupBy: ['tier'],
    sources: [source('a', [record(0, 1, { tier: 'sd' }), record(0, 2, { tier: 'hd' }), record(0, 4)], [okSpan(0, 1)])]
  })
  t.same(series.map(entry => [entry.dimensions.tier, entry.total]), [['hd', 2], ['sd', 1], [null, 4]])
})

t.test('grouping by source identity lists a source that reported nothing, as zeros', async t => {
  const series = mergeSeries({
    buckets: hours(1),
    groupBy: ['source'],
    sources: [source('a', [record(0, 5)], [okSpan(0, 1)]), source('b', [], [okSpan(0, 1)])]
  })
  t.same(series.map(entry => [entry.dimensions.source, entry.total]), [['a', 5], ['b', 0]])
})

t.test('a failing source taints only the series it feeds', async t => {
  const series = mergeSeries({
    buckets: hours(1),
    groupBy: ['source'],
    sources: [source('a', [record(0, 5)], [okSpan(0, 1)]), source('b', [], [{ from: T0, to: T0 + HOUR, status: 'failed' }])]
  })
  t.same(series.map(entry => [entry.dimensions.source, entry.points[0]!.state]), [['a', 'final'], ['b', 'incomplete']])
})

t.test('a record straddling two requested buckets is refused, never split', async t => {
  t.throws(() => mergeSeries({
    buckets: hours(2),
    groupBy: [],
    sources: [source('a', [{ metric: 'transcode.duration', start: T0 + HOUR / 2, end: T0 + 3 * HOUR / 2, value: 1, dimensions: {} }], [okSpan(0, 2)])]
  }), MisalignedRecordError)
  t.throws(() => mergeSeries({
    buckets: hours(1),
    groupBy: [],
    sources: [source('a', [record(5, 1)], [okSpan(0, 1)])]
  }), MisalignedRecordError, 'a record outside the range')
})

const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/London']

t.test('property: re-bucketing hourly records to days and months conserves every total', async t => {
  fc.assert(fc.property(
    fc.constantFrom(...ZONES),
    fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / HOUR, max: Date.parse('2026-12-01T00:00:00Z') / HOUR }),
    fc.integer({ min: 1, max: 24 * 70 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom('sd', 'hd')), { maxLength: 300 }),
    (zone, startHour, lengthHours, raw) => {
      const range = { from: startHour * HOUR, to: (startHour + lengthHours) * HOUR }
      const records = raw.map(([offset, value, tier]) => {
        const start = range.from + (offset % lengthHours) * HOUR
        return { metric: 'transcode.duration', start, end: start + HOUR, value, dimensions: { tier } }
      })
      const expected = records.reduce((sum, entry) => sum + entry.value, 0)
      for (const granularity of ['hour', 'day', 'month'] as const) {
        const widened = widenRange(range, granularity, zone)
        const buckets = listBuckets(widened, granularity, zone)
        const outcome = source('a', records, [{ from: widened.from, to: widened.to, status: 'ok' }])
        const merged = mergeSeries({ buckets, groupBy: ['tier'], sources: [outcome] })
        const total = merged.reduce((sum, entry) => sum + (entry.total ?? 0), 0)
        if (total !== expected) throw new Error(`${granularity} in ${zone}: ${total} != ${expected}`)
        for (const entry of merged) {
          if (entry.points.length !== buckets.length) throw new Error('a bucket is missing')
          if (entry.points.some(point => point.value === null)) throw new Error('a delivered bucket is null')
        }
      }
    }
  ), { seed: propertySeed(t), numRuns: 150 })
})
