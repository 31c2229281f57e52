import fc from 'fast-check'
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { UpstreamError } from '../../src/errors.js'
import { runUsageQuery } from '../../src/usage/run-usage-query.js'
import { DEFAULT_RETRY_POLICY } from '../../src/usage/retry-policy.js'
import type { RuntimeSource } from '../../src/usage/source-executor.js'
import type { SourceAdapter, UpstreamCall, UsageRecord } from '../../src/usage/source-adapter.js'
import type { UsageQuery } from '../../src/usage/usage-query.js'
import { createUpstreamHttp } from '../../src/http/upstream-http.js'
import { buildRuntime } from '../support/build.js'
import { DAY, HOUR, fakeAdapter, fakeSource } from '../support/fake-adapter.js'
import { propertySeed } from '../support/property-seed.js'

const NOW = Date.parse('2026-11-20T10:30:00Z')
const clock = fixedClock(NOW)
const http = createUpstreamHttp()
t.teardown(() => http.close())

/** One source over a fake adapter: no cache, so every query reaches the adapter. */
async function runtime (adapter: SourceAdapter<unknown>, id = 'fake-1'): Promise<RuntimeSource> {
  const built = await buildRuntime(t, { clock, overrides: { sources: [fakeSource(id, adapter.kind)], adapters: [adapter], http, cache: false, retry: DEFAULT_RETRY_POLICY } })
  return built.sources[0]!
}

function query (overrides: Partial<UsageQuery> = {}): UsageQuery {
  return {
    from: Date.parse('2026-10-01T00:00:00Z'),
    to: Date.parse('2026-10-08T00:00:00Z'),
    granularity: 'day',
    zone: 'UTC',
    metrics: null,
    groupBy: [],
    filters: {},
    strict: false,
    ...overrides
  }
}

const run = (sources: RuntimeSource[], overrides: Partial<UsageQuery> = {}) =>
  runUsageQuery(query(overrides), { sources, clock, signal: new AbortController().signal })

t.test('a complete answer: every bucket, exact sums, source ok', async t => {
  const answer = await run([await runtime(fakeAdapter())])
  t.equal(answer.complete, true)
  t.equal(answer.series.length, 1)
  t.equal(answer.series[0]!.points.length, 7)
  t.same(answer.series[0]!.points.filter(point => !(point.value === 24 * 60 && point.state === 'final')), [])
  t.same(answer.sources.map(source => [source.id, source.status, source.calls]), [['fake-1', 'ok', 1]])
})

t.test('one failing source never blanks another; it is failed with the provider code and request id', async t => {
  const failing = fakeAdapter({
    kind: 'fake.failing',
    answer: () => { throw new UpstreamError('UPSTREAM_SERVER', 'InternalError: boom', { providerCode: 'InternalError', requestId: 'REQ-1' }) }
  })
  const answer = await run([await runtime(fakeAdapter()), await runtime(failing, 'fake-2')], { groupBy: ['source'] })
  t.equal(answer.complete, false)
  const bySource = new Map(answer.series.map(series => [series.dimensions.source, series]))
  t.same(bySource.get('fake-1')!.points.filter(point => !(point.state === 'final' && point.value === 1440)), [])
  t.same(bySource.get('fake-2')!.points.filter(point => !(point.state === 'incomplete' && point.value === null)), [])
  t.same(answer.sources[1]!.error, { code: 'UPSTREAM_SERVER', message: 'InternalError: boom', providerCode: 'InternalError', requestId: 'REQ-1' })
  t.equal(answer.sources[1]!.status, 'failed')
  t.ok(answer.warnings.some(warning => warning.type === 'source_failed' && warning.source === 'fake-2'), 'fake-2 is warned as failed', { found: answer.warnings })
})

t.test('every selected source unaligned is a 400 naming the source and a zone that works', async t => {
  await t.rejects(run([await runtime(fakeAdapter())], { zone: 'Asia/Kolkata' }), { code: 'UNALIGNED_QUERY' })
})

t.test('one unaligned source beside an aligned one: left out, warned, incomplete', async t => {
  const any = fakeAdapter({ kind: 'fake.any', grids: 'any' })
  const answer = await run([await runtime(fakeAdapter()), await runtime(any, 'fake-any')], { zone: 'Asia/Kolkata' })
  t.equal(answer.complete, false)
  t.equal(answer.sources[0]!.status, 'unaligned')
  t.equal(answer.sources[1]!.status, 'ok')
  const warning = answer.warnings.find(entry => entry.type === 'unaligned')
  t.ok(warning?.suggestedZones?.includes('UTC'), 'UTC is suggested', { found: warning })
})

t.test('a query past the lookback: that part null and incomplete, the source out_of_range', async t => {
  const answer = await run([await runtime(fakeAdapter())], { from: NOW - 100 * DAY, to: NOW - 80 * DAY })
  t.equal(answer.sources[0]!.status, 'out_of_range')
  t.ok(answer.sources[0]!.outOfRange)
  const points = answer.series[0]!.points
  t.equal(points[0]!.value, null)
  t.equal(points[0]!.state, 'incomplete')
  t.ok(points.at(-1)!.value! > 0)
  t.equal(answer.complete, false)
})

t.test('too many buckets is refused before any call', async t => {
  const adapter = fakeAdapter()
  await t.rejects(runUsageQuery(query({ granularity: 'hour', from: 0, to: 1000 * DAY }), {
    sources: [await runtime(adapter)], clock, signal: new AbortController().signal, limits: { maxBuckets: 1000 }
  }), { code: 'QUERY_TOO_LARGE' })
  t.equal(adapter.calls.length, 0)
})

t.test('filters no source supports leave the sources out, with a 400 when none remain', async t => {
  await t.rejects(run([await runtime(fakeAdapter())], { filters: { domain: ['example.com'] } }), { code: 'NO_SOURCES' })
  await t.rejects(run([await runtime(fakeAdapter())], { filters: { provider: ['tencent'] } }), { code: 'NO_SOURCES' })
})

t.test('property: however the span limit cuts the range into windows, the answer is the same', async t => {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 1, max: 40 }),
    fc.constantFrom('UTC', 'Asia/Shanghai', 'America/New_York'),
    async (spanHours, zone) => {
      const valueOf = (start: number) => (start / HOUR) % 97
      const answer = (call: UpstreamCall) => {
        const records: UsageRecord[] = []
        for (let start = call.window.from; start < call.window.to; start += HOUR) {
          records.push({ metric: 'transcode.duration', start, end: start + HOUR, value: valueOf(start), dimensions: {} })
        }
        return { records, requestId: null }
      }
      const narrow = await run([await runtime(fakeAdapter({ maxSpanMs: spanHours * HOUR, answer }))], { zone, from: Date.parse('2026-10-30'), to: Date.parse('2026-11-03') })
      const wide = await run([await runtime(fakeAdapter({ answer }))], { zone, from: Date.parse('2026-10-30'), to: Date.parse('2026-11-03') })
      if (JSON.stringify(narrow.series) !== JSON.stringify(wide.series)) throw new Error(`windows of ${spanHours} h changed the answer in ${zone}`)
    }
  ), { seed: propertySeed(t), numRuns: 40 })
})

t.test('the answer is plain data: its fingerprint names each call and the cache entry that answered it', async t => {
  let now = NOW
  const movingClock = { now: () => now }
  const adapter = fakeAdapter()
  const config = fakeSource('fake-1', adapter.kind)
  const built = await buildRuntime(t, { clock: movingClock, overrides: { sources: [config], adapters: [adapter], http, retry: DEFAULT_RETRY_POLICY } })
  const cached = built.sources[0]!
  const runAt = () => runUsageQuery(query(), { sources: [cached], clock: movingClock, signal: new AbortController().signal })

  const fetched = await runAt()
  t.same(fetched.upstream, adapter.calls.map(call => ({ source: 'fake-1', key: call.key, cachedAt: null })), 'called for this answer')
  t.equal(fetched.deadlinePassed, false)
  now += 5000
  const reused = await runAt()
  t.same(reused.upstream, adapter.calls.map(call => ({ source: 'fake-1', key: call.key, cachedAt: NOW })), 'answered by the entries stored at NOW')
  t.same(JSON.parse(JSON.stringify(reused.upstream)), reused.upstream, 'nothing but data: no executor travels with the answer')
})

t.test('an answer merged after its deadline says so', async t => {
  const signal = AbortSignal.abort(new DOMException('late', 'TimeoutError'))
  const answer = await runUsageQuery(query(), { sources: [await runtime(fakeAdapter())], clock, signal })
  t.equal(answer.deadlinePassed, true)
  t.equal(answer.complete, false)
  t.same(answer.sources.map(source => [source.status, source.error?.code]), [['failed', 'DEADLINE_EXCEEDED']])
  t.same(answer.series.flatMap(series => series.points.filter(point => !(point.state === 'incomplete' && point.value === null))), [], 'nothing obtained: null, incomplete')
  t.match(answer.warnings.filter(warning => warning.type === 'deadline_exceeded'), [{ source: null, message: /^DEADLINE_EXCEEDED: .*'fake-1' \(\d+ of \d+ calls: /u }])
})

t.test("a query's calls reach the account's budget a window at a time: another query's call is not queued behind all of them", async t => {
  // One call per bucket (no native buckets), one call in flight at a time for the account: 240 hourly calls.
  const adapter = fakeAdapter({ kind: 'fake.any', grids: 'any' })
  const built = await buildRuntime(t, {
    clock, overrides: { sources: [{ ...fakeSource('fake-any', adapter.kind), concurrency: 1 }], adapters: [adapter], http, cache: false, retry: DEFAULT_RETRY_POLICY }
  })
  const source = built.sources[0]!
  const signal = new AbortController().signal
  const large = runUsageQuery(query({ from: Date.parse('2026-10-01T00:00:00Z'), to: Date.parse('2026-10-11T00:00:00Z'), granularity: 'hour' }), { sources: [source], clock, signal })
  const small = runUsageQuery(query({ from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-02T00:00:00Z') }), { sources: [source], clock, signal })
  const [largeAnswer, smallAnswer] = await Promise.all([large, small])
  t.equal(largeAnswer.complete, true)
  t.equal(smallAnswer.complete, true)
  t.equal(adapter.calls.length, 241)
  const smallCallAt = adapter.calls.findIndex(call => call.window.from === Date.parse('2026-11-01T00:00:00Z'))
  // All at once, the small query's call came 241st, after every call of the large one.
  t.ok(smallCallAt <= 64, `the small query's call was made ${smallCallAt + 1}th of 241, within the large query's first window of 64`)
})
