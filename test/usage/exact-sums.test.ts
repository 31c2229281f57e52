/** Sums near 2^53: bucket sums, sums across sources, totals and month buckets are exact, or the query is refused. */
import fc from 'fast-check'
import t from 'tap'
import { startTencentMpsSimulator } from '../../src/simulators/index.js'
import type { Bucket } from '../../src/time/index.js'
import { UnsafeSumError, mergeSeries, type SourceOutcome } from '../../src/usage/merge-series.js'
import type { UsageRecord } from '../../src/usage/source-adapter.js'
import { HOUR, fakeAdapter } from '../support/fake-adapter.js'
import { startTestService } from '../support/test-service.js'
import { propertySeed } from '../support/property-seed.js'

const LARGEST = BigInt(Number.MAX_SAFE_INTEGER)
const T0 = Date.parse('2026-11-01T00:00:00Z')
const hours = (count: number): Bucket[] => Array.from({ length: count }, (_, index) => ({ start: T0 + index * HOUR, end: T0 + (index + 1) * HOUR }))
const record = (hour: number, value: number): UsageRecord =>
  ({ metric: 'transcode.duration', start: T0 + hour * HOUR, end: T0 + (hour + 1) * HOUR, value, dimensions: {} })
const source = (id: string, records: UsageRecord[], bucketCount: number): SourceOutcome => ({
  identity: { provider: 'aliyun', source: id },
  metrics: new Set(['transcode.duration']),
  records,
  spans: [{ from: T0, to: T0 + bucketCount * HOUR, status: 'ok' }],
  settledBefore: Number.POSITIVE_INFINITY
})

// Values from a sixth of the limit to the limit: a handful of them crosses 2^53 about half the time.
const nearLimit = fc.bigInt({ min: LARGEST / 6n, max: LARGEST }).map(Number)
const recordsArbitrary = fc.array(fc.record({ source: fc.integer({ min: 0, max: 2 }), hour: fc.integer({ min: 0, max: 3 }), value: nearLimit }), { minLength: 1, maxLength: 6 })

t.test('property: every point and total is the exact sum, or the merge refuses; never a rounded number', async t => {
  fc.assert(fc.property(recordsArbitrary, fc.boolean(), (entries, groupBySource) => {
    const sources = [0, 1, 2].map(index => source(`s${index}`, entries.filter(entry => entry.source === index).map(entry => record(entry.hour, entry.value)), 4))
    const exactPoints = [0, 1, 2, 3].map(hour => entries.filter(entry => entry.hour === hour).reduce((sum, entry) => sum + BigInt(entry.value), 0n))
    const perSource = [0, 1, 2].map(index => [0, 1, 2, 3].map(hour =>
      entries.filter(entry => entry.source === index && entry.hour === hour).reduce((sum, entry) => sum + BigInt(entry.value), 0n)))
    const exactTotal = exactPoints.reduce((sum, value) => sum + value, 0n)
    const perSourceTotals = perSource.map(points => points.reduce((sum, value) => sum + value, 0n))
    const anyTooLarge = groupBySource
      ? perSourceTotals.some(total => total > LARGEST)
      : exactTotal > LARGEST
    try {
      const series = mergeSeries({ buckets: hours(4), groupBy: groupBySource ? ['source'] : [], sources })
      if (anyTooLarge) return false
      if (groupBySource) {
        return series.every(entry => {
          const index = Number(String(entry.dimensions.source).slice(1))
          return entry.points.every((point, hour) => BigInt(point.value!) === perSource[index]![hour]) && BigInt(entry.total!) === perSourceTotals[index]
        })
      }
      const [only] = series
      return only!.points.every((point, hour) => BigInt(point.value!) === exactPoints[hour]) && BigInt(only!.total!) === exactTotal
    } catch (error) {
      return error instanceof UnsafeSumError && anyTooLarge
    }
  }), { seed: propertySeed(t), numRuns: 3000 })
})

t.test('table: the refusal names the metric, the series and the bucket (or the total)', async t => {
  const half = Number(LARGEST / 2n) + 1
  const inOneBucket = () => mergeSeries({ buckets: hours(2), groupBy: [], sources: [source('a', [record(1, half), record(1, half)], 2)] })
  t.throws(inOneBucket, { name: 'UnsafeSumError', metric: 'transcode.duration', bucket: { start: T0 + HOUR, end: T0 + 2 * HOUR } })
  const acrossSources = () => mergeSeries({ buckets: hours(2), groupBy: [], sources: [source('a', [record(0, half)], 2), source('b', [record(0, half)], 2)] })
  t.throws(acrossSources, { name: 'UnsafeSumError', bucket: { start: T0, end: T0 + HOUR } })
  const inTheTotal = () => mergeSeries({ buckets: hours(2), groupBy: [], sources: [source('a', [record(0, half), record(1, half)], 2)] })
  t.throws(inTheTotal, { name: 'UnsafeSumError', bucket: null })
  const [exact] = mergeSeries({ buckets: hours(2), groupBy: [], sources: [source('a', [record(0, half - 1), record(1, half - 1)], 2)] })
  t.equal(exact!.total, Number.MAX_SAFE_INTEGER - 1 + 0, 'just below the limit: exact')
  t.equal(BigInt(exact!.total!), 2n * BigInt(half - 1))
})

t.test('through HTTP: a month whose sum would pass 2^53 is a 502 VALUE_TOO_LARGE naming it, never a rounded number', async t => {
  // Each hour is a safe value; a month of them is not. (The fake adapter ignores its simulator; one is started for the harness.)
  const perHour = Math.floor(Number.MAX_SAFE_INTEGER / 500)
  const adapter = fakeAdapter({
    answer: call => {
      const records: UsageRecord[] = []
      for (let start = call.window.from; start < call.window.to; start += HOUR) {
        records.push({ metric: 'transcode.duration', start, end: start + HOUR, value: perHour, dimensions: { tier: 'hd' } })
      }
      return { records, requestId: null }
    }
  })
  const service = await startTestService(t, [{ id: 'huge', adapter, startSimulator: startTencentMpsSimulator }], { cache: false })
  const daily = await service.getUsage('/usage?from=2026-10-01&to=2026-10-11&granularity=day&tz=UTC')
  t.equal(daily.status, 200, 'ten days of hours is exact')
  t.equal(BigInt(daily.json.series[0]?.total ?? Number.NaN), 240n * BigInt(perHour))
  const monthly = await service.getError('/usage?from=2026-10-01&to=2026-11-01&granularity=month&tz=UTC')
  t.equal(monthly.status, 502)
  t.equal(monthly.json.error.code, 'VALUE_TOO_LARGE')
  t.match(monthly.json.error.message, /transcode\.duration: the bucket 2026-10-01T00:00:00Z to 2026-11-01T00:00:00Z adds up to about .*past 9007199254740991/)
  t.same(monthly.json.error.details, [{
    metric: 'transcode.duration', dimensions: {}, start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z', largestExact: Number.MAX_SAFE_INTEGER
  }])
  t.notMatch(monthly.text, /"value"/, 'no number at all rather than a rounded one')
})
