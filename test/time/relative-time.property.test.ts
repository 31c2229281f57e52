import fc from 'fast-check'
import t from 'tap'
import { floorToBucket, formatInstant, offsetMinutesAt, parseBoundary } from '../../src/time/index.js'
import { resolveRelativeTime } from '../../src/time/relative-time.js'

// Zones with DST in both hemispheres, :30 and :45 offsets, a 30-minute DST (Lord Howe) and DST changes at
// midnight (Santiago, Havana).
const ZONES = [
  'UTC', 'America/New_York', 'Europe/London', 'Asia/Shanghai', 'Asia/Kolkata', 'Australia/Lord_Howe',
  'America/Santiago', 'America/Havana', 'Asia/Kathmandu', 'Pacific/Chatham'
] as const
const HOUR = 3_600_000
const DAY = 86_400_000
const RUNS = { numRuns: 300 }

const zone = fc.constantFrom(...ZONES)
// Half the instants fall in months where the zones above change their clocks, so DST days come up often.
const now = fc.oneof(
  fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2040, 0, 1) }),
  fc.record({
    year: fc.integer({ min: 1990, max: 2035 }),
    month: fc.constantFrom(2, 3, 8, 9, 10),
    dayOffset: fc.integer({ min: 0, max: 31 * DAY - 1 })
  }).map(({ year, month, dayOffset }) => Date.UTC(year, month, 1) + dayOffset)
)

function resolve (text: string, instant: number, inZone: string): number {
  const result = resolveRelativeTime(text, instant, inZone)
  if (!result.ok) throw new Error(`${text} refused: ${result.reason}`)
  return result.instant
}

t.test('/h, /d and /M round to the start of the bucket of that granularity', async t => {
  fc.assert(fc.property(now, zone, (instant, inZone) => {
    if (resolve('now/h', instant, inZone) !== floorToBucket(instant, 'hour', inZone)) throw new Error('/h')
    if (resolve('now/d', instant, inZone) !== floorToBucket(instant, 'day', inZone)) throw new Error('/d')
    if (resolve('now/M', instant, inZone) !== floorToBucket(instant, 'month', inZone)) throw new Error('/M')
  }), RUNS)
  t.pass('rounding agrees with the buckets')
})

t.test('now-1d/d is the previous day bucket and now-1M/M the previous month bucket, whatever their length', async t => {
  fc.assert(fc.property(now, zone, (instant, inZone) => {
    const yesterday = floorToBucket(floorToBucket(instant, 'day', inZone) - 1, 'day', inZone)
    if (resolve('now-1d/d', instant, inZone) !== yesterday) throw new Error('now-1d/d')
    const lastMonth = floorToBucket(floorToBucket(instant, 'month', inZone) - 1, 'month', inZone)
    if (resolve('now-1M/M', instant, inZone) !== lastMonth) throw new Error('now-1M/M')
    const tomorrow = floorToBucket(floorToBucket(instant, 'day', inZone) + 36 * HOUR, 'day', inZone)
    if (resolve('now+1d/d', instant, inZone) !== tomorrow) throw new Error('now+1d/d')
  }), RUNS)
  t.pass('calendar steps land in the neighbouring bucket')
})

t.test('/w is the start of a Monday at most a week back, and the next one is after now', async t => {
  fc.assert(fc.property(now, zone, (instant, inZone) => {
    const monday = resolve('now/w', instant, inZone)
    if (monday > instant || monday <= instant - 8 * DAY) throw new Error('not within the week')
    if (monday !== floorToBucket(monday, 'day', inZone)) throw new Error('not a day start')
    const date = formatInstant(monday, inZone).slice(0, 10)
    if (new Date(`${date}T00:00:00Z`).getUTCDay() !== 1) throw new Error(`${date} is not a Monday`)
    if (resolve('now/w+1w/d', instant, inZone) <= instant) throw new Error('the next Monday is not after now')
  }), RUNS)
  t.pass('ISO weeks')
})

t.test('s, m and h are elapsed time; d keeps the wall time when the zone reads it', async t => {
  fc.assert(fc.property(now, zone, fc.integer({ min: 0, max: 2_000 }), (instant, inZone, count) => {
    if (resolve(`now-${count}h`, instant, inZone) !== instant - count * HOUR) throw new Error('h')
    if (resolve(`now+${count}m`, instant, inZone) !== instant + count * 60_000) throw new Error('m')
    if (resolve(`now-${count}s`, instant, inZone) !== instant - count * 1_000) throw new Error('s')
    const before = resolve(`now-${count % 400}d`, instant, inZone)
    // Same wall time, unless the clock skipped it (then later) or read it twice (then the first reading).
    const wall = (at: number): string => formatInstant(at, inZone).slice(11, 19)
    const clockJumpedThere = offsetMinutesAt(before, inZone) !== offsetMinutesAt(before - 1, inZone)
    if (wall(before) !== wall(instant) && !clockJumpedThere) throw new Error('wall time changed')
  }), RUNS)
  t.pass('elapsed and calendar arithmetic')
})

t.test('epoch milliseconds and the RFC 3339 they stand for are the same instant', async t => {
  fc.assert(fc.property(fc.integer({ min: Date.UTC(1973, 0, 1), max: Date.UTC(9999, 0, 1) }), zone, (instant, inZone) => {
    const epoch = parseBoundary(String(instant), inZone, 0)
    const written = parseBoundary(new Date(instant).toISOString(), inZone, 0)
    if (!epoch.ok || !written.ok || epoch.instant !== instant || written.instant !== instant) throw new Error(String(instant))
  }), RUNS)
  t.pass('epoch milliseconds')
})
