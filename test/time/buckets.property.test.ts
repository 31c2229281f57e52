import fc from 'fast-check'
import t from 'tap'
import {
  GRANULARITIES, ceilToBucket, countBuckets, floorToBucket, listBuckets, widenRange,
  type Bucket, type Granularity, type TimeRange
} from '../../src/time/index.js'
import { propertySeed } from '../support/property-seed.js'

// Zones chosen for their traps: DST in both hemispheres, :30 and :45 offsets, a 30-minute DST (Lord Howe),
// DST changes at midnight (Santiago) and a +12:45/+13:45 zone (Chatham).
const ZONES = [
  'UTC', 'America/New_York', 'Europe/London', 'Asia/Shanghai', 'Asia/Kolkata', 'Australia/Lord_Howe',
  'America/Santiago', 'Asia/Kathmandu', 'Pacific/Chatham'
] as const
const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
const EARLIEST = Date.UTC(2000, 0, 1)
const LATEST = Date.UTC(2040, 0, 1)
// Long enough to cross offset changes, short enough that listing stays fast.
const LONGEST_RANGE: Record<Granularity, number> = { hour: 12 * DAY, day: 400 * DAY, month: 6 * 366 * DAY }
const RUNS = { numRuns: 200 }

const zone = fc.constantFrom(...ZONES)
const granularity = fc.constantFrom(...GRANULARITIES)
// Half the instants fall in the months where the zones above change their clocks, so DST days come up often.
const instant = fc.oneof(
  fc.integer({ min: EARLIEST, max: LATEST - LONGEST_RANGE.month - 1 }),
  fc.record({
    year: fc.integer({ min: 2000, max: 2033 }),
    month: fc.constantFrom(2, 3, 8, 9, 10),
    dayOffset: fc.integer({ min: 0, max: 31 * DAY - 1 })
  }).map(({ year, month, dayOffset }) => Date.UTC(year, month, 1) + dayOffset)
)
const rangeFor = (maximumLength: number): fc.Arbitrary<TimeRange> =>
  fc.tuple(instant, fc.integer({ min: 1, max: maximumLength })).map(([from, length]) => ({ from, to: from + length }))
const rangeAndGranularity = granularity.chain(chosen => fc.record({
  granularity: fc.constant(chosen),
  range: rangeFor(LONGEST_RANGE[chosen])
}))

function assertTiles (buckets: Bucket[], range: TimeRange): void {
  if (buckets[0]?.start !== range.from) throw new Error('first bucket does not start at from')
  if (buckets[buckets.length - 1]?.end !== range.to) throw new Error('last bucket does not end at to')
  buckets.forEach((bucket, index) => {
    if (!(bucket.end > bucket.start)) throw new Error(`empty bucket at ${index}`)
    const next = buckets[index + 1]
    if (next !== undefined && next.start !== bucket.end) throw new Error(`gap or overlap after bucket ${index}`)
  })
}

/** Index of the only bucket containing `inner` entirely; throws if none or several do. */
function containingIndex (inner: Bucket, outers: Bucket[]): number {
  const matches = outers.flatMap((outer, index) => (outer.start <= inner.start && inner.end <= outer.end ? [index] : []))
  if (matches.length !== 1) throw new Error(`bucket ${JSON.stringify(inner)} lies in ${matches.length} outer buckets`)
  return matches[0]!
}

/** Deterministic pseudo-random integers from a fast-check seed (the number of hours is known only later). */
function valuesFromSeed (seed: number, count: number): number[] {
  let state = seed >>> 0
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state % 1_000_000
  })
}

t.test('widened ranges are tiled exactly and counted right', async t => {
  fc.assert(fc.property(zone, rangeAndGranularity, (chosenZone, { range, granularity }) => {
    const widened = widenRange(range, granularity, chosenZone)
    if (widened.from > range.from || widened.to < range.to) return false
    const buckets = listBuckets(widened, granularity, chosenZone)
    assertTiles(buckets, widened)
    return countBuckets(widened, granularity, chosenZone) === buckets.length
  }), { seed: propertySeed(t), ...RUNS })
  t.pass('tiling holds')
})

t.test('floor <= instant < next boundary, and floor and ceil agree', async t => {
  fc.assert(fc.property(zone, granularity, instant, (chosenZone, chosen, moment) => {
    const floor = floorToBucket(moment, chosen, chosenZone)
    const next = ceilToBucket(floor + 1, chosen, chosenZone)
    const ceil = ceilToBucket(moment, chosen, chosenZone)
    return floor <= moment && moment < next &&
      ceilToBucket(floor, chosen, chosenZone) === floor &&
      floorToBucket(floor, chosen, chosenZone) === floor &&
      floorToBucket(next - 1, chosen, chosenZone) === floor &&
      ceil === (floor === moment ? moment : next) &&
      listBuckets({ from: floor, to: next }, chosen, chosenZone).length === 1
  }), { seed: propertySeed(t), ...RUNS })
  t.pass('floor and ceil hold')
})

t.test('hour buckets are whole minutes and nest in day buckets', async t => {
  fc.assert(fc.property(zone, rangeFor(20 * DAY), (chosenZone, range) => {
    const days = widenRange(range, 'day', chosenZone)
    const dayBuckets = listBuckets(days, 'day', chosenZone)
    const hourBuckets = listBuckets(days, 'hour', chosenZone)
    for (const hour of hourBuckets) {
      if ((hour.end - hour.start) % MINUTE !== 0) throw new Error(`hour ${JSON.stringify(hour)} is not whole minutes`)
      // Real zones move clocks by at most an hour, so no local hour is longer than two real ones.
      if (hour.end - hour.start > 2 * HOUR) throw new Error(`hour ${JSON.stringify(hour)} is too long`)
      containingIndex(hour, dayBuckets)
    }
    return true
  }), { seed: propertySeed(t), ...RUNS })
  t.pass('hours nest in days')
})

t.test('re-bucketing hourly values into days and months conserves the total', async t => {
  fc.assert(fc.property(zone, rangeFor(70 * DAY), fc.integer(), (chosenZone, range, seed) => {
    // Month-aligned ends are also day- and hour-aligned, so all three listings cover the same span.
    const span = widenRange(range, 'month', chosenZone)
    const hours = listBuckets(span, 'hour', chosenZone)
    const days = listBuckets(span, 'day', chosenZone)
    const months = listBuckets(span, 'month', chosenZone)
    const hourValues = valuesFromSeed(seed, hours.length)
    const dayTotals = days.map(() => 0)
    const monthTotals = months.map(() => 0)
    hours.forEach((hour, index) => {
      dayTotals[containingIndex(hour, days)]! += hourValues[index]!
      monthTotals[containingIndex(hour, months)]! += hourValues[index]!
    })
    const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0)
    const total = sum(hourValues)
    return sum(dayTotals) === total && sum(monthTotals) === total
  }), { seed: propertySeed(t), numRuns: 60 })
  t.pass('totals conserved')
})
