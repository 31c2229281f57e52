/**
 * Numbers that cannot be misread, through the whole service: `final` only for settled complete answers, a series
 * `total` only when nothing is missing, and what was obtained otherwise under its own name.
 */
import t from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import type { ResponseSeries } from '../../src/usage/usage-response.js'
import { startTestService } from '../support/test-service.js'

const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const sumOf = (series: ResponseSeries): number => series.points.reduce((sum, point) => sum + (point.value ?? 0), 0)

t.test('a settled, complete range is final, and every series has its total', async t => {
  const service = await startTestService(t, [studio])
  const { json } = await service.getUsage('/usage?from=2026-11-01&to=2026-11-08')
  t.same([json.complete, json.final], [true, true])
  t.ok(json.series.length > 0)
  for (const series of json.series) {
    t.equal(series.total, sumOf(series), series.metric)
    t.equal(series.partialTotal, series.total, `${series.metric}: the sum obtained is the total`)
  }
  t.ok(json.series.some(series => series.total! > 0), 'not only zeros', { found: json.series.map(series => series.total) })
})

t.test('a bucket still inside the data delay: complete but not final', async t => {
  const service = await startTestService(t, [studio])
  const { json } = await service.getUsage('/usage?from=2026-11-18&to=2026-11-21')
  t.same([json.complete, json.final], [true, false])
  t.same(json.series.map(series => [series.points.at(0)!.state, series.points.at(-1)!.state]), json.series.map(() => ['final', 'provisional']),
    'the first day is final, the current day provisional')
})

t.test('an answer with no series is final only when its range is settled: no usage yet is not no usage', async t => {
  const service = await startTestService(t, [studio])
  // Grouped by tier, a range with no usage has no series at all: nothing for "every point final" to be false about.
  const ahead = await service.getUsage('/usage?from=2026-11-25&to=2026-11-27&groupBy=tier')
  t.same([ahead.json.series.length, ahead.json.complete, ahead.json.final], [0, true, false], 'days not over yet')
  t.equal(ahead.headers['cache-control'], 'private, no-cache')
  const today = await service.getUsage('/usage?from=2026-11-20&to=2026-11-21&groupBy=domain&domain=nothing.example')
  t.same([today.json.series.length, today.json.final], [0, false], 'today, inside the data delay')
  const past = await service.getUsage('/usage?from=2026-11-01&to=2026-11-03&groupBy=domain&domain=nothing.example')
  t.same([past.json.series.length, past.json.complete, past.json.final], [0, true, true], 'settled days with no usage: final, safe to invoice as nothing')
  t.equal(past.headers['cache-control'], 'private, max-age=3600')
})

t.test('a source failing for part of the range: no total, the sum obtained as partialTotal, not final', async t => {
  const service = await startTestService(t, [studio], { cache: false })
  // 61 days: two calls of at most 31 days; the first call the simulator receives fails.
  const query = '/usage?from=2026-09-01&to=2026-11-01'
  service.simulators.studio!.faults.inject({ kind: 'server-error', status: 500 })
  const { json } = await service.getUsage(query)
  t.same([json.complete, json.final, json.sources[0]?.status], [false, false, 'partial'])
  const whole = (await service.getUsage(query)).json
  t.equal(whole.complete, true, 'the same query without the fault')
  for (const series of json.series) {
    const obtained = series.points.filter(point => point.state !== 'incomplete')
    t.ok(obtained.length > 0 && obtained.length < series.points.length, `${series.metric}: part obtained, part not`)
    t.same(series.points.filter(point => point.state === 'incomplete').map(point => point.value), series.points.filter(point => point.state === 'incomplete').map(() => null),
      'nothing obtained for the failed part: null')
    t.equal(series.total, null, `${series.metric}: never a total of an incomplete series`)
    t.equal(series.partialTotal, sumOf(series), `${series.metric}: the exact sum of the values obtained`)
    const full = whole.series.find(entry => entry.metric === series.metric)!
    const missing = full.points.filter((_, index) => series.points[index]!.state === 'incomplete').reduce((sum, point) => sum + point.value!, 0)
    t.equal(series.partialTotal! + missing, full.total, `${series.metric}: the partial sum plus what the failed part held is the total`)
  }
  t.ok(json.series.some(series => series.partialTotal! > 0), 'not only zeros', { found: json.series.map(series => series.partialTotal) })
})
