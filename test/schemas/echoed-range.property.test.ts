/**
 * Every from/to an answer echoes (the accepted range widened to whole buckets, written in tz) is RFC 3339 that the
 * service accepts back as it is, in every IANA zone, for every granularity, up to the ends of the accepted range.
 */
import { systemClock } from '../../src/clock.js'
import fc from 'fast-check'
import t from 'tap'
import { ADAPTERS } from '../../src/providers/registry.js'
import { BUILT_IN_QUERY_DEFAULTS, EARLIEST_QUERY_INSTANT, LATEST_QUERY_INSTANT, usageQuerySchemaFor } from '../../src/schemas/usage-query-schema.js'
import { buildCatalog } from '../../src/usage/catalog.js'
import { GRANULARITIES, formatInstant, parseBoundary, widenRange } from '../../src/time/index.js'
import { propertySeed } from '../support/property-seed.js'

const usageQuerySchema = usageQuerySchemaFor({ catalog: buildCatalog(ADAPTERS), clock: systemClock, defaults: BUILT_IN_QUERY_DEFAULTS })

const ZONES = Intl.supportedValuesOf('timeZone')
const DAY = 86_400_000
/** RFC 3339 as RFC 3339 says it: a four-digit year and an offset in hours and minutes. */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/

/** An instant as a caller might write it: with some offset, or as a date alone. */
function written (instant: number, offsetMinutes: number, dateOnly: boolean): string {
  const wall = new Date(instant + offsetMinutes * 60_000).toISOString()
  if (dateOnly) return wall.slice(0, 10)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const magnitude = Math.abs(offsetMinutes)
  return `${wall.slice(0, 19)}${sign}${String(Math.floor(magnitude / 60)).padStart(2, '0')}:${String(magnitude % 60).padStart(2, '0')}`
}

// Two thirds of the instants lie near either end of the accepted range, where widening could leave it, out to
// the ends of what the date parser reads (years 1970 to 9999).
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(1969, 11, 31), max: EARLIEST_QUERY_INSTANT + 40 * DAY }),
  fc.integer({ min: LATEST_QUERY_INSTANT - 40 * DAY, max: Date.UTC(10000, 0, 1) }),
  fc.integer({ min: EARLIEST_QUERY_INSTANT, max: LATEST_QUERY_INSTANT })
)
const boundary = fc.record({ instant, offsetMinutes: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), dateOnly: fc.boolean() })

t.test('any accepted query: the echoed from/to are RFC 3339, parse back to the same instants, and are accepted again', async t => {
  let accepted = 0
  fc.assert(fc.property(boundary, fc.nat({ max: 70 * DAY }), fc.constantFrom(...ZONES), fc.constantFrom(...GRANULARITIES),
    (start, length, zone, granularity) => {
      const end = { ...start, instant: start.instant + length }
      const query = { from: written(start.instant, start.offsetMinutes, start.dateOnly), to: written(end.instant, end.offsetMinutes, end.dateOnly), tz: zone, granularity }
      const parsed = usageQuerySchema.safeParse(query)
      if (!parsed.success) return
      accepted++
      const widened = widenRange({ from: parsed.data.from, to: parsed.data.to }, granularity, zone)
      const echoed = { from: formatInstant(widened.from, zone), to: formatInstant(widened.to, zone) }
      for (const [name, text, expected] of [['from', echoed.from, widened.from], ['to', echoed.to, widened.to]] as const) {
        if (!RFC_3339.test(text)) throw new Error(`${name} ${text} is not RFC 3339 (${JSON.stringify(query)})`)
        const back = parseBoundary(text, zone, 0)
        if (!back.ok || back.instant !== expected) throw new Error(`${name} ${text} does not parse back (${JSON.stringify(query)})`)
      }
      const again = usageQuerySchema.safeParse({ ...echoed, tz: zone, granularity })
      if (!again.success) throw new Error(`the echoed range ${JSON.stringify(echoed)} is refused: ${again.error.message}`)
    }), { seed: propertySeed(t), numRuns: 3_000 })
  t.ok(accepted > 300, `${accepted} accepted queries checked`)
})

t.test('outside the accepted range: a 400 naming the parameter and the range', async t => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ from: '1972-12-31T23:00:00Z', to: '1973-02-01' }, 'from'],
    [{ from: '9998-12-01', to: '9999-01-02' }, 'to'],
    // Inside the range as given, outside once widened to whole months in a zone behind UTC.
    [{ from: '1973-01-01T00:00:00Z', to: '1973-02-01T00:00:00Z', tz: 'America/New_York', granularity: 'month' }, 'from'],
    [{ from: '9998-12-01T00:00:00Z', to: '9999-01-01T00:00:00Z', tz: 'Pacific/Kiritimati', granularity: 'month' }, 'to']
  ]
  for (const [query, parameter] of cases) {
    const parsed = usageQuerySchema.safeParse(query)
    t.notOk(parsed.success, JSON.stringify(query))
    const issue = parsed.error?.issues.find(entry => entry.path[0] === parameter)
    t.match(issue?.message, /1973-01-01T00:00:00Z to 9999-01-01T00:00:00Z/, `${JSON.stringify(query)}: ${parameter} names the accepted range`)
  }
  t.ok(usageQuerySchema.safeParse({ from: '1973-01-01', to: '9999-01-01' }).success, 'the ends themselves are accepted in UTC')
})
