/**
 * The bench's arithmetic (bench/lib): minimum calls, the rate-gate and API floors, the queries it sends and the
 * table it prints. No timing here: only that the numbers the bench compares against are computed right.
 */
import { systemClock } from '../../src/clock.js'
import t from 'tap'
import {
  GATE_MARGIN_MS, estimateFloors, gateFloorClosedFormMs, gateSlots, gateWindowMs, minimumCalls, parseLatency,
  simulateApiMs, simulateGateMs
} from '../../bench/lib/floors.js'
import { minimumInput, planInfo } from '../../bench/lib/plan-info.js'
import { localDate, usageSearch } from '../../bench/lib/queries.js'
import { formatTable, formatTarget, verdictOf, type Row } from '../../bench/lib/table.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { ADAPTERS } from '../../src/providers/registry.js'
import { BUILT_IN_QUERY_DEFAULTS, usageQuerySchemaFor } from '../../src/schemas/usage-query-schema.js'
import { buildCatalog } from '../../src/usage/catalog.js'
import type { RuntimeSource } from '../../src/usage/source-executor.js'
import { DAY, HOUR, fakeAdapter, fakeSource } from '../support/fake-adapter.js'

const usageQuerySchema = usageQuerySchemaFor({ catalog: buildCatalog(ADAPTERS), clock: systemClock, defaults: BUILT_IN_QUERY_DEFAULTS })

const constant = (milliseconds: number) => () => milliseconds

t.test('minimum calls: windows of the span limit per variant for grids, one per bucket without native buckets', async t => {
  t.equal(minimumCalls({ buckets: 'none' }), 0)
  t.equal(minimumCalls({ buckets: 'grid', spanMs: 90 * DAY, maxSpanMs: 31 * DAY, stepMs: HOUR, variants: 1 }), 3)
  t.equal(minimumCalls({ buckets: 'grid', spanMs: 62 * DAY, maxSpanMs: 31 * DAY, stepMs: HOUR, variants: 2 }), 4, 'exactly two windows, twice')
  t.equal(minimumCalls({ buckets: 'grid', spanMs: 0, maxSpanMs: 31 * DAY, stepMs: HOUR, variants: 3 }), 0)
  t.equal(minimumCalls({ buckets: 'grid', spanMs: 3 * DAY, maxSpanMs: DAY + HOUR / 2, stepMs: HOUR, variants: 1 }), 3,
    'the span limit is floored to whole native buckets')
  t.equal(minimumCalls({ buckets: 'any', windowsMs: Array(24).fill(HOUR), maxSpanMs: 31 * DAY, variants: 1 }), 24)
  t.equal(minimumCalls({ buckets: 'any', windowsMs: [32 * DAY, DAY, 0], maxSpanMs: 31 * DAY, variants: 2 }), 6,
    'a bucket longer than the span limit takes two calls; an empty one none')
  t.throws(() => minimumCalls({ buckets: 'grid', spanMs: DAY, maxSpanMs: HOUR / 2, stepMs: HOUR, variants: 1 }), RangeError)
})

t.test('minimum input: buckets clipped to the fetchable span for kinds without native buckets', async t => {
  const buckets = [0, 1, 2, 3].map(index => ({ start: index * HOUR, end: (index + 1) * HOUR }))
  t.same(minimumInput({ from: HOUR / 2, to: 3 * HOUR }, null, DAY, 1, buckets), { buckets: 'any', windowsMs: [HOUR / 2, HOUR, HOUR], maxSpanMs: DAY, variants: 1 })
  t.same(minimumInput({ from: 0, to: 4 * HOUR }, HOUR, DAY, 2, buckets), { buckets: 'grid', spanMs: 4 * HOUR, maxSpanMs: DAY, stepMs: HOUR, variants: 2 })
  t.same(minimumInput(undefined, HOUR, DAY, 1, buckets), { buckets: 'none' })
})

t.test('gate slots and windows follow rate-gate.ts: floor(qps) slots, a longer window below 1 QPS', async t => {
  t.equal(gateSlots(5), 5)
  t.equal(gateSlots(2.5), 2)
  t.equal(gateSlots(0.5), 1)
  t.equal(gateWindowMs(10), 1000)
  t.equal(gateWindowMs(0.5), 2000)
  t.equal(gateWindowMs(2.5), 800)
  t.throws(() => gateSlots(0), RangeError)
})

t.test('gate floor closed form: R·L + (R − 1)·(W + margin)', async t => {
  t.equal(gateFloorClosedFormMs(0, 5, 100), 0)
  t.equal(gateFloorClosedFormMs(1, 5, 100), 100)
  t.equal(gateFloorClosedFormMs(5, 5, 100), 100, 'one round')
  t.equal(gateFloorClosedFormMs(10, 5, 100), 2 * 100 + 1000 + GATE_MARGIN_MS)
  t.equal(gateFloorClosedFormMs(90, 10, 115), 9 * 115 + 8 * (1000 + GATE_MARGIN_MS))
  t.equal(gateFloorClosedFormMs(3, 0.5, 100), 3 * 100 + 2 * (2000 + GATE_MARGIN_MS))
})

t.test('the gate replay equals the closed form for a constant latency and enough concurrency', async t => {
  for (const qps of [0.5, 1, 5, 10, 100]) {
    for (const calls of [0, 1, 2, 7, 10, 11, 97, 200]) {
      for (const latency of [0, 80, 150, 400]) {
        const concurrency = Math.max(1, Math.floor(qps))
        t.equal(simulateGateMs({ calls, qps, concurrency }, constant(latency)), gateFloorClosedFormMs(calls, qps, latency),
          `${calls} calls at ${qps} QPS, ${latency} ms`)
      }
    }
  }
})

t.test('the gate replay models the concurrency cap', async t => {
  // 8 in flight at 10 QPS: calls 9 and 10 take the two fresh slots when the first 8 finish; the 11th waits a window.
  t.equal(simulateGateMs({ calls: 11, qps: 10, concurrency: 8 }, constant(100)), 100 + 1000 + GATE_MARGIN_MS + 100)
  t.equal(simulateGateMs({ calls: 10, qps: 10, concurrency: 8 }, constant(100)), 200)
  t.equal(simulateGateMs({ calls: 3, qps: 10, concurrency: 1 }, constant(100)), 300, 'one at a time')
})

t.test('the API floor: groups of floor(qps) one window apart, plus the last group\'s latency', async t => {
  t.equal(simulateApiMs({ calls: 0, qps: 5, concurrency: 5 }, constant(100)), 0)
  t.equal(simulateApiMs({ calls: 10, qps: 5, concurrency: 5 }, constant(100)), 1100)
  t.equal(simulateApiMs({ calls: 90, qps: 10, concurrency: 8 }, constant(115)), 8 * 1000 + 115)
  t.equal(simulateApiMs({ calls: 2, qps: 0.5, concurrency: 1 }, constant(100)), 2100)
})

t.test('expected floors: the max over sources, equal to the closed form without jitter', async t => {
  const fixed = estimateFloors([{ calls: 90, qps: 10, concurrency: 10 }, { calls: 3, qps: 5, concurrency: 5 }, { calls: 0, qps: 5, concurrency: 5 }], { min: 115, max: 115 })
  t.equal(fixed.gateMs, gateFloorClosedFormMs(90, 10, 115))
  t.equal(fixed.apiMs, 8 * 1000 + 115)
  t.same(fixed.perSource.map(source => source.gateMs), [gateFloorClosedFormMs(90, 10, 115), 115, 0])

  const jittered = estimateFloors([{ calls: 90, qps: 10, concurrency: 8 }], { min: 80, max: 150 }, 200)
  t.ok(jittered.gateMs > gateFloorClosedFormMs(90, 10, 80) && jittered.gateMs < gateFloorClosedFormMs(90, 10, 150), 'between the bounds')
  t.equal(estimateFloors([{ calls: 90, qps: 10, concurrency: 8 }], { min: 80, max: 150 }, 200).gateMs, jittered.gateMs, 'seeded: reproducible')
  const one = estimateFloors([{ calls: 3, qps: 5, concurrency: 5 }], { min: 80, max: 150 }, 2000)
  t.ok(Math.abs(one.gateMs - (80 + 70 * 3 / 4)) < 3, 'one round: the expected slowest of three latencies')
})

t.test('latency settings parse like USAGE_SIMULATOR_LATENCY_MS', async t => {
  t.same(parseLatency('80-150'), { min: 80, max: 150 })
  t.same(parseLatency(' 100 '), { min: 100, max: 100 })
  t.throws(() => parseLatency('150-80'), RangeError)
  t.throws(() => parseLatency('fast'), RangeError)
})

t.test('queries: local dates in the bench zone, and the query string the service accepts', async t => {
  const now = Date.parse('2026-11-20T10:30:00Z')
  t.equal(localDate(now, 'Asia/Shanghai', 0), '2026-11-20')
  t.equal(localDate(now, 'Asia/Shanghai', -89), '2026-08-23')
  t.equal(localDate(Date.parse('2026-11-20T17:30:00Z'), 'Asia/Shanghai', 0), '2026-11-21', 'already tomorrow in Shanghai')
  const search = usageSearch({ now, zone: 'Asia/Shanghai', fromDay: -89, toDay: 1, granularity: 'day', groupBy: ['tier', 'region'], sources: ['a', 'b'], timeoutSeconds: 120 })
  const parsed = usageQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(search)))
  t.ok(parsed.success, search)
  t.same(parsed.data?.groupBy, ['tier', 'region'])
  t.same(parsed.data?.filters.source, ['a', 'b'])
  t.equal(parsed.data?.timeoutMs, 120_000)
})

t.test('plan info: what the planner plans next to the minimum, per source', async t => {
  const now = Date.parse('2026-11-20T10:30:00Z')
  const runtime = (adapter: RuntimeSource['adapter'], config: RuntimeSource['config']) => ({ adapter, config, executor: null as never })
  const query = (granularity: 'day' | 'hour', fromDay: number, toDay: number) =>
    usageQuerySchema.parse(Object.fromEntries(new URLSearchParams(usageSearch({ now, zone: 'Asia/Shanghai', fromDay, toDay, granularity }))))

  const producer = runtime(liveProducerAdapter, { ...fakeSource('producer', liveProducerAdapter.kind), settings: { regionId: 'cn-shanghai' } })
  const perBucket = runtime(fakeAdapter({ kind: 'fake.any', grids: 'any' }), fakeSource('any', 'fake.any'))
  const daily = planInfo([producer, perBucket], query('day', -89, 1), now)
  t.equal(daily.buckets, 90)
  const [producerPlan, anyPlan] = daily.sources
  t.match(producerPlan, { status: 'planned', plannedCalls: 3, minimumCalls: 3, variants: 1, grid: 'hour (UTC)' })
  t.match(anyPlan, { status: 'planned', plannedCalls: 90, minimumCalls: 90, grid: null })

  const unaligned = planInfo([producer], { ...query('day', -2, 1), zone: 'Asia/Kolkata' }, now)
  t.match(unaligned.sources[0], { status: 'unaligned', plannedCalls: 0, minimumCalls: 0 })
})

t.test('verdicts compare the ratio as printed', async t => {
  t.equal(verdictOf(1, { kind: 'equal', value: 1 }), 'met')
  t.equal(verdictOf(1.01, { kind: 'equal', value: 1 }), 'MISSED')
  t.equal(verdictOf(1.104, { kind: 'max', value: 1.1 }), 'met', 'prints 1.10')
  t.equal(verdictOf(1.106, { kind: 'max', value: 1.1 }), 'MISSED')
  t.equal(verdictOf(0.79, { kind: 'min', value: 0.8 }), 'MISSED')
  t.equal(verdictOf(null, { kind: 'min', value: 0.8 }), 'info')
  t.equal(verdictOf(2, null), 'info')
  t.equal(formatTarget({ kind: 'max', value: 1.1 }), '≤ 1.10')
  t.equal(formatTarget(null), '')
})

t.test('the table: aligned columns, each scenario named once, ratios right-aligned, results where there is a target', async t => {
  const rows: Row[] = [
    { scenario: '1 upstream', figure: 'calls', measured: '97 calls', baseline: '97 minimum', ratio: 1, target: { kind: 'equal', value: 1 } },
    { scenario: '1 upstream', figure: 'wall vs gate floor', measured: '9.9 s', baseline: '9.2 s floor', ratio: 1.0761, target: { kind: 'max', value: 1.1 } },
    { scenario: '5 memory', figure: 'peak RSS', measured: '250 MiB', baseline: '92 MiB after boot', ratio: 2.717, target: null }
  ]
  const lines = formatTable(rows).split('\n')
  t.equal(lines.length, 2 + rows.length)
  t.match(lines[0], /^#\s+figure\s+measured\s+same-run baseline\s+ratio\s+target\s+result$/)
  t.match(lines[1], /^-+( +-+){6}$/)
  t.match(lines[2], /^1 upstream\s+calls\s+97 calls\s+97 minimum\s+1\.00\s+= 1\.00\s+met$/)
  t.match(lines[3], /^\s+wall vs gate floor\s+9\.9 s\s+9\.2 s floor\s+1\.08\s+≤ 1\.10\s+met$/, 'the scenario is not repeated')
  t.match(lines[4], /^5 memory\s+peak RSS\s+250 MiB\s+92 MiB after boot\s+2\.72$/, 'no target, no result')
  const ratioEnd = lines[0]!.indexOf('ratio') + 'ratio'.length
  t.same(lines.slice(2).map(line => [...line].slice(ratioEnd - 4, ratioEnd).join('')), ['1.00', '1.08', '2.72'], 'ratios end under the header')
  const widths = lines.slice(0, 2).map(line => [...line].length)
  t.equal(widths[0], widths[1], 'the rule is as wide as the header')
})
