/**
 * The read path of the usage ledger through real HTTP, on a PGlite directory and (with USAGE_TEST_POSTGRES_URL)
 * on PostgreSQL: answers past the lookback, restatements and as-of reruns, provisional buckets, the fewest
 * windows for what the ledger lacks, and the catalog's view of it.
 */
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import type { LedgerStore } from '../../src/ledger/index.js'
import { ledgerVariantKey } from '../../src/usage/call-keys.js'
import { DAY, HOUR, HOURLY_UTC } from '../support/fake-adapter.js'
import { forEachBackend } from './support/ledger-backends.js'
import { SOURCE_ID, hourlyData, startLedgerService, valuesOf } from './support/ledger-service.js'

const NOW = Date.parse('2026-11-20T10:30:00Z')
const VARIANT = ledgerVariantKey(HOURLY_UTC, { parameters: {}, dimensions: {} })
const iso = (instant: number) => new Date(instant).toISOString().replace('.000Z', 'Z')

forEachBackend(t, { memory: false }, async (t, backend) => {
  const open = async (clock: ReturnType<typeof fixedClock>): Promise<LedgerStore> => await backend.open(clock)

  t.test('past the lookback: complete, final and exact from the ledger; only what it lacks is out_of_range', async t => {
    const clock = fixedClock(NOW)
    const from = Date.parse('2026-11-18T00:00:00Z')
    const data = hourlyData(from - DAY, NOW)
    // The provider keeps 3 days: a range of 3 days ago is fetched now, and forgotten by the provider 5 days later.
    const service = await startLedgerService(t, { clock, ledger: await open(clock), data, adapter: { lookbackMs: 3 * DAY } })
    const query = `/usage?from=${iso(from)}&to=${iso(from + 2 * DAY)}&granularity=hour`
    const fetched = await service.usage(query)
    t.same([fetched.complete, fetched.final, fetched.sources[0]?.ledgerBuckets], [true, true, 0])
    t.ok(fetched.sources[0]!.calls > 0)

    clock.set(NOW + 5 * DAY)
    const callsBefore = service.adapter.calls.length
    const remembered = await service.usage(query)
    t.equal(service.adapter.calls.length, callsBefore, 'no upstream call: the provider would refuse the range anyway')
    t.same([remembered.complete, remembered.final, remembered.sources[0]?.status, remembered.sources[0]?.ledgerBuckets], [true, true, 'ok', 48])
    t.same(valuesOf(remembered), valuesOf(fetched), 'the very numbers the provider answered')
    t.equal(remembered.sources[0]?.outOfRange, null)
    t.same(remembered.warnings, [])

    // One day earlier is in neither: out_of_range, null, never zero.
    const wider = await service.usage(`/usage?from=${iso(from - DAY)}&to=${iso(from + 2 * DAY)}&granularity=day`)
    t.same(wider.series[0]!.points.map(point => point.value), [null, ...fetched.series[0]!.points.reduce<number[]>((days, point, index) => {
      days[Math.floor(index / 24)] = (days[Math.floor(index / 24)] ?? 0) + point.value!
      return days
    }, [])])
    t.same([wider.complete, wider.sources[0]?.status, wider.sources[0]?.outOfRange], [false, 'out_of_range', { from: iso(from - DAY), to: iso(from) }])
    t.ok(wider.warnings.some(warning => warning.type === 'out_of_range'), 'warned', { found: wider.warnings })
  })

  t.test('restatement: the latest revision with RESTATED; asOf before it reproduces the old answer, 0 calls', async t => {
    const clock = fixedClock(NOW)
    const store = await open(clock)
    const from = Date.parse('2026-11-10T00:00:00Z')
    const data = hourlyData(from, from + DAY)
    data.delete(from + 5 * HOUR) // an hour with no usage: a reported zero, kept as such
    const service = await startLedgerService(t, { clock, ledger: store, data })
    const query = `/usage?from=${iso(from)}&to=${iso(from + DAY)}&granularity=hour`
    const first = await service.usage(query)
    t.equal(first.series[0]!.points[5]!.value, 0, 'covered with no record: zero')
    const firstKnownAt = NOW + 1000

    clock.set(NOW + HOUR)
    const restatedHour = from + 3 * HOUR
    const written = await store.writeSettled({
      sourceId: SOURCE_ID,
      variant: VARIANT,
      fetchedAt: clock.now(),
      requestId: 'recheck-1',
      buckets: [{ start: restatedHour, end: restatedHour + HOUR, records: [{ metric: 'transcode.duration', dimensions: { tier: 'hd' }, value: 999_999, unit: 'second' }] }]
    })
    t.same(written.restated, [restatedHour])

    clock.set(NOW + 2 * HOUR)
    const calls = service.adapter.calls.length
    const latest = await service.usage(query)
    t.equal(latest.series[0]!.points[3]!.value, 999_999, 'the restated value')
    const restated = latest.warnings.filter(warning => warning.type === 'restated')
    t.equal(restated.length, 1)
    t.match(restated[0], { source: SOURCE_ID, message: /2026-11-10T03:00:00Z/ })

    const rerun = await service.usage(`${query}&asOf=${encodeURIComponent(iso(firstKnownAt))}`)
    t.equal(service.adapter.calls.length, calls, 'no upstream call for either')
    t.same(valuesOf(rerun), valuesOf(first), 'asOf before the restatement: the old answer exactly')
    t.same([rerun.complete, rerun.final, rerun.warnings], [first.complete, first.final, first.warnings])
    t.same([rerun.sources[0]?.calls, rerun.sources[0]?.ledgerBuckets], [0, 24])

    const before = await service.usage(`${query}&asOf=${encodeURIComponent(iso(NOW - HOUR))}`)
    t.same(before.series.flatMap(series => series.points.filter(point => !(point.value === null && point.state === 'incomplete'))), [], 'as of before anything was kept: null, never zero')
    t.same([before.complete, before.sources[0]?.status], [false, 'partial'])
    t.match(before.warnings.find(warning => warning.type === 'not_in_ledger'), { source: SOURCE_ID, message: /null, not zero/ })
    t.equal(service.adapter.calls.length, calls, 'still no upstream call')
  })

  t.test('provisional buckets are answered but never kept; the next query fetches only them', async t => {
    const clock = fixedClock(NOW)
    const store = await open(clock)
    const from = Date.parse('2026-11-20T00:00:00Z')
    const service = await startLedgerService(t, { clock, ledger: store, data: hourlyData(from, NOW), adapter: { settleDelayMs: 2 * HOUR } })
    const query = `/usage?from=${iso(from)}&to=${iso(from + DAY)}&granularity=hour`
    const first = await service.usage(query)
    // Now is 10:30 with a 2 h delay: 00:00 to 08:00 settled; 08:00, 09:00 and the current hour are provisional.
    t.same(first.series[0]!.points.slice(7, 11).map(point => point.state), ['final', 'provisional', 'provisional', 'provisional'])
    const kept = await store.readRange({ sourceId: SOURCE_ID, variant: VARIANT, from, to: from + DAY })
    t.same(kept.map(bucket => bucket.start), Array.from({ length: 8 }, (_, index) => from + index * HOUR), 'only the settled hours')
    t.same(kept.filter(bucket => !(bucket.requestId === `request-${from}` && bucket.fetchedAt === NOW)), [], 'with the provider request id and fetch time')

    const calls = service.adapter.calls.length
    const second = await service.usage(query)
    t.same(service.adapter.calls.slice(calls).map(call => [call.window.from, call.window.to]), [[from + 8 * HOUR, from + 11 * HOUR]], 'one call, for the provisional hours only')
    t.same(valuesOf(second), valuesOf(first))
    t.same([second.sources[0]?.ledgerBuckets, second.sources[0]?.calls], [8, 1])
  })

  t.test('gaps in the ledger: the fewest windows the span limit allows', async t => {
    const clock = fixedClock(NOW)
    const from = Date.parse('2026-11-01T00:00:00Z')
    const service = await startLedgerService(t, { clock, ledger: await open(clock), data: hourlyData(from, NOW), adapter: { maxSpanMs: 2 * DAY } })
    await service.usage(`/usage?from=${iso(from + DAY)}&to=${iso(from + 2 * DAY)}&granularity=hour`)
    await service.usage(`/usage?from=${iso(from + 4 * DAY)}&to=${iso(from + 5 * DAY)}&granularity=hour`)
    const calls = service.adapter.calls.length
    // Day 0, days 2-3 and day 5 are missing: day 0 to day 3 spans 4 days, more than one call's 2.
    const whole = await service.usage(`/usage?from=${iso(from)}&to=${iso(from + 6 * DAY)}&granularity=day`)
    t.same(service.adapter.calls.slice(calls).map(call => [(call.window.from - from) / DAY, (call.window.to - from) / DAY]), [[0, 1], [2, 4], [5, 6]])
    t.same([whole.complete, whole.sources[0]?.ledgerBuckets, whole.sources[0]?.calls], [true, 48, 3])
    const again = await service.usage(`/usage?from=${iso(from)}&to=${iso(from + 6 * DAY)}&granularity=day`)
    t.same(valuesOf(again), valuesOf(whole))
    t.same([again.sources[0]?.ledgerBuckets, again.sources[0]?.calls], [144, 0])
  })

  t.test('the catalog shows what the ledger holds per source', async t => {
    const clock = fixedClock(NOW)
    const store = await open(clock)
    const sourceId = 'fake-catalog'
    const service = await startLedgerService(t, { clock, ledger: store, sourceId, data: hourlyData(NOW - 3 * DAY, NOW) })
    const empty = await service.getCatalog()
    t.same(empty.json.ledger, { status: 'connected', reason: null })
    t.match(empty.json.sources[0]?.ledger, { oldestSettledBucket: null, newestSettledBucket: null, buckets: 0, lastSyncAt: null })
    const from = Date.parse('2026-11-18T00:00:00Z')
    await service.usage(`/usage?from=${iso(from)}&to=${iso(from + DAY)}&granularity=hour`)
    await store.recordSyncFailure(sourceId, 'provider throttled', NOW - HOUR)
    await store.recordSyncSuccess(sourceId, NOW)
    const held = await service.getCatalog()
    t.same(held.json.sources[0]?.ledger, {
      oldestSettledBucket: iso(from),
      newestSettledBucket: iso(from + 23 * HOUR),
      buckets: 24,
      restatedBuckets: 0,
      lastSyncAt: iso(NOW),
      lastSyncError: 'provider throttled',
      lastSyncErrorAt: iso(NOW - HOUR)
    })
  })
})

t.test('asOf is validated: 400 naming it', async t => {
  const clock = fixedClock(NOW)
  const { memoryBackend } = await import('./support/ledger-backends.js')
  const service = await startLedgerService(t, { clock, ledger: await memoryBackend().open(clock), data: new Map() })
  const base = '/usage?from=2026-11-01&to=2026-11-02'
  for (const [value, why] of [
    ['yesterday', /RFC 3339/], ['2026-11-01', /RFC 3339/], ['now-1d', /RFC 3339/], ['2026-11-21T00:00:00Z', /future/], ['1960-01-01T00:00:00Z', /not accepted|out of range/]
  ] as const) {
    const { status, json } = await service.getError(`${base}&asOf=${encodeURIComponent(value)}`)
    t.equal(status, 400, value)
    t.equal(json.error.code, 'INVALID_QUERY')
    t.match(json.error.details, [{ parameter: 'asOf', message: why }], value)
  }

  const none = await startLedgerService(t, { clock, ledger: false, data: new Map() })
  const refused = await none.getError(`${base}&asOf=2026-11-10T00:00:00Z`)
  t.equal(refused.status, 400, 'no ledger kept: asOf cannot be answered')
  t.match(refused.json.error.details, [{ parameter: 'asOf' }])
})
