import t from 'tap'
import { listBuckets, widenRange } from '../../src/time/index.js'
import { LOOKBACK_SAFETY_MS, planSource, type PlanQuery } from '../../src/usage/plan-source.js'
import { DAY, HOUR, fakeAdapter, fakeSource } from '../support/fake-adapter.js'

const NOW = Date.parse('2026-11-20T10:30:00Z')

function query (from: string, to: string, granularity: PlanQuery['granularity'] = 'day', zone = 'UTC'): PlanQuery {
  const range = widenRange({ from: Date.parse(from), to: Date.parse(to) }, granularity, zone)
  return { range, buckets: listBuckets(range, granularity, zone), granularity, zone, groupBy: [], filters: {}, now: NOW }
}

t.test('62 days split into exactly 2 windows of at most 31 days, tiling the range', async t => {
  const plan = planSource(fakeAdapter(), fakeSource(), query('2026-09-01T00:00:00Z', '2026-11-02T00:00:00Z'))
  t.equal(plan.status, 'planned')
  if (plan.status !== 'planned') return
  t.equal(plan.calls.length, 2)
  t.same(plan.calls.map(call => [call.window.from, call.window.to]), [
    [Date.parse('2026-09-01T00:00:00Z'), Date.parse('2026-10-02T00:00:00Z')],
    [Date.parse('2026-10-02T00:00:00Z'), Date.parse('2026-11-02T00:00:00Z')]
  ])
  t.same(plan.spans.map(span => span.status), ['planned'])
})

t.test('63 days need 3 windows; the fewest the span limit allows', async t => {
  const plan = planSource(fakeAdapter(), fakeSource(), query('2026-08-31T00:00:00Z', '2026-11-02T00:00:00Z'))
  t.equal(plan.status === 'planned' && plan.calls.length, 3)
})

t.test('the part older than the lookback is out_of_range and never asked for', async t => {
  const plan = planSource(fakeAdapter(), fakeSource(), query('2026-08-01T00:00:00Z', '2026-09-01T00:00:00Z'))
  if (plan.status !== 'planned') return t.fail('expected a plan')
  const oldest = Math.ceil((NOW - 90 * DAY + LOOKBACK_SAFETY_MS) / HOUR) * HOUR
  t.same(plan.spans, [
    { from: Date.parse('2026-08-01T00:00:00Z'), to: oldest, status: 'out_of_range' },
    { from: oldest, to: Date.parse('2026-09-01T00:00:00Z'), status: 'planned' }
  ])
  t.same(plan.calls.filter(call => !(call.window.from >= oldest)), [], 'no call reaches past the lookback')
})

t.test('a range wholly past the lookback makes no call', async t => {
  const plan = planSource(fakeAdapter(), fakeSource(), query('2026-01-01', '2026-02-01'))
  t.equal(plan.status === 'planned' && plan.calls.length, 0)
  t.same(plan.status === 'planned' && plan.spans.map(span => span.status), ['out_of_range'])
})

t.test('what has not happened yet is future: the current native hour is fetched, later ones are not', async t => {
  const plan = planSource(fakeAdapter(), fakeSource(), query('2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z'))
  if (plan.status !== 'planned') return t.fail('expected a plan')
  t.same(plan.spans, [
    { from: Date.parse('2026-11-20T00:00:00Z'), to: Date.parse('2026-11-20T11:00:00Z'), status: 'planned' },
    { from: Date.parse('2026-11-20T11:00:00Z'), to: Date.parse('2026-11-21T00:00:00Z'), status: 'future' }
  ])
})

t.test('days in Asia/Kolkata are not whole UTC hours: unaligned, with zones that would work', async t => {
  const plan = planSource(fakeAdapter(), fakeSource(), query('2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', 'day', 'Asia/Kolkata'))
  t.equal(plan.status, 'unaligned')
  if (plan.status !== 'unaligned') return
  t.ok(plan.suggestedZones.includes('UTC'), 'UTC is suggested', { found: plan.suggestedZones })
  t.notOk(plan.suggestedZones.includes('Asia/Kolkata'), 'the query\'s own zone is not', { found: plan.suggestedZones })
  t.match(plan.message, /fake-1/)
  t.match(plan.message, /tz=UTC/)
})

t.test('days in Asia/Shanghai, America/New_York across DST, and months align to UTC hours', async t => {
  for (const [zone, granularity] of [['Asia/Shanghai', 'day'], ['America/New_York', 'day'], ['Europe/London', 'month']] as const) {
    const plan = planSource(fakeAdapter(), fakeSource(), query('2026-10-01T00:00:00Z', '2026-11-10T00:00:00Z', granularity, zone))
    t.equal(plan.status, 'planned', `${granularity} in ${zone}`)
  }
})

t.test('the coarsest aligned grid is chosen', async t => {
  const fiveMinutes = { stepMs: 300_000, offsetMs: 0, label: '5 minutes' }
  const adapter = fakeAdapter({ grids: [{ stepMs: HOUR, offsetMs: 0, label: 'hour' }, fiveMinutes] })
  const utc = planSource(adapter, fakeSource(), query('2026-11-01', '2026-11-03', 'day', 'UTC'))
  const kolkata = planSource(adapter, fakeSource(), query('2026-11-01', '2026-11-03', 'day', 'Asia/Kolkata'))
  t.equal(utc.status === 'planned' && utc.grid?.stepMs, HOUR)
  t.equal(kolkata.status === 'planned' && kolkata.grid?.stepMs, 300_000)
})

t.test('kinds without native buckets are asked once per requested bucket', async t => {
  const plan = planSource(fakeAdapter({ grids: 'any' }), fakeSource(), query('2026-11-01T00:00:00+05:30', '2026-11-03T00:00:00+05:30', 'hour', 'Asia/Kolkata'))
  t.equal(plan.status === 'planned' && plan.calls.length, 48)
})

t.test('variants multiply the windows, and every call has a distinct key', async t => {
  const adapter = fakeAdapter({
    variants: () => ['a', 'b', 'c'].map(app => ({ parameters: { app }, dimensions: { app } }))
  })
  const plan = planSource(adapter, fakeSource(), query('2026-09-01', '2026-11-02'))
  if (plan.status !== 'planned') return t.fail('expected a plan')
  t.equal(plan.calls.length, 6)
  t.equal(new Set(plan.calls.map(call => call.key)).size, 6)
})

t.test('the call key is the canonical JSON of the variant: typed parameters, key order aside, lists in order', async t => {
  const keysOf = (parameters: Record<string, unknown>) => {
    const adapter = fakeAdapter({ variants: () => [{ parameters: parameters as never, dimensions: {} }] })
    const plan = planSource(adapter, fakeSource(), query('2026-11-01', '2026-11-02'))
    return plan.status === 'planned' ? plan.calls.map(call => call.key) : []
  }
  t.same(keysOf({ types: ['a', 'b'], nested: { x: 1, y: [2] } }), keysOf({ nested: { y: [2], x: 1 }, types: ['a', 'b'] }), 'same call')
  t.not(keysOf({ types: ['a', 'b'] })[0], keysOf({ types: ['b', 'a'] })[0], 'a list in another order is another request')
  t.not(keysOf({ types: ['a,b'] })[0], keysOf({ types: ['a', 'b'] })[0], 'values are not joined into one string')
})

t.test('a bucket longer than the span limit is asked in parts for kinds without native buckets', async t => {
  const plan = planSource(fakeAdapter({ grids: 'any' }), fakeSource(), query('2026-10-01T00:00:00+02:00', '2026-11-01T00:00:00+01:00', 'month', 'Europe/Berlin'))
  if (plan.status !== 'planned') return t.fail('expected a plan')
  t.same(plan.calls.map(call => call.window.to - call.window.from), [31 * DAY, HOUR])
})

t.test('kinds without native buckets: the bucket holding now is asked up to now, under one key whatever the second', async t => {
  // Identical requests planned a second apart (a burst spread over replicas) must be one call, coalesced and cached.
  const planAt = (now: number) => {
    const today = query('2026-11-19T00:00:00Z', '2026-11-21T00:00:00Z')
    const plan = planSource(fakeAdapter({ grids: 'any' }), fakeSource(), { ...today, now })
    return plan.status === 'planned' ? plan.calls : []
  }
  const first = planAt(NOW)
  const second = planAt(NOW + 1_000)
  t.same(second.map(call => [call.window.from, call.window.to]), [
    [Date.parse('2026-11-19T00:00:00Z'), Date.parse('2026-11-20T00:00:00Z')],
    [Date.parse('2026-11-20T00:00:00Z'), NOW + 1_000]
  ], 'the current day is asked up to the planning second')
  t.equal(first[1]!.window.to, NOW)
  t.same(second.map(call => call.key), first.map(call => call.key), 'the same calls a second later')

  const dayOver = planAt(Date.parse('2026-11-21T00:00:05Z'))
  t.equal(dayOver[1]!.window.to, Date.parse('2026-11-21T00:00:00Z'), 'once the day is over it is asked whole')
  t.not(dayOver[1]!.key, first[1]!.key, 'under another key than its usage so far')
  t.equal(new Set([...first, ...dayOver].map(call => call.key)).size, 3)
})

t.test('kinds without native buckets: a long bucket cut at now shares its key only for the part holding now', async t => {
  const planAt = (now: number) => {
    const month = query('2026-10-01T00:00:00+02:00', '2026-11-01T00:00:00+01:00', 'month', 'Europe/Berlin')
    const plan = planSource(fakeAdapter({ grids: 'any' }), fakeSource(), { ...month, now })
    return plan.status === 'planned' ? plan.calls : []
  }
  // Inside the 25 hours' last hour: the first part is whole, the second cut at now.
  const inLastHour = Date.parse('2026-10-31T22:30:00Z')
  const [whole, cut] = planAt(inLastHour)
  t.equal(whole!.window.to - whole!.window.from, 31 * DAY)
  t.equal(cut!.window.to, inLastHour)
  const later = planAt(inLastHour + 60_000)
  t.same(later.map(call => call.key), [whole!.key, cut!.key])
})
