import t from 'tap'
import {
  ceilToBucket, countBuckets, floorToBucket, formatInstant, formatUtcSeconds, listBuckets, widenRange,
  type Bucket, type Granularity
} from '../../src/time/index.js'

const HOUR = 3_600_000
const at = (iso: string): number => {
  const instant = Date.parse(iso)
  if (Number.isNaN(instant)) throw new Error(`bad fixture ${iso}`)
  return instant
}
const hours = (bucket: Bucket): number => (bucket.end - bucket.start) / HOUR
const localStarts = (buckets: Bucket[], zone: string): string[] => buckets.map(bucket => formatInstant(bucket.start, zone))

/** The one bucket containing `instant`. */
function bucketAt (instant: number, granularity: Granularity, zone: string): Bucket {
  const start = floorToBucket(instant, granularity, zone)
  const [bucket, ...rest] = listBuckets({ from: start, to: ceilToBucket(start + 1, granularity, zone) }, granularity, zone)
  if (bucket === undefined || rest.length > 0) throw new Error('expected exactly one bucket')
  return bucket
}

t.test('day buckets on DST change days are 23 or 25 hours', async t => {
  const cases: Array<[zone: string, noonUtc: string, start: string, end: string, length: number]> = [
    ['America/New_York', '2026-03-08T12:00:00Z', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 23],
    ['America/New_York', '2026-11-01T12:00:00Z', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 25],
    ['Europe/London', '2026-03-29T12:00:00Z', '2026-03-29T00:00:00Z', '2026-03-29T23:00:00Z', 23],
    ['Europe/London', '2026-10-25T12:00:00Z', '2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z', 25],
    ['America/New_York', '2026-07-04T12:00:00Z', '2026-07-04T04:00:00Z', '2026-07-05T04:00:00Z', 24],
    // Lord Howe moves its clocks by 30 minutes.
    ['Australia/Lord_Howe', '2026-10-04T00:00:00Z', '2026-10-03T13:30:00Z', '2026-10-04T13:00:00Z', 23.5]
  ]
  for (const [zone, instant, start, end, length] of cases) {
    const bucket = bucketAt(at(instant), 'day', zone)
    t.same(bucket, { start: at(start), end: at(end) }, `${zone} day containing ${instant}`)
    t.equal(hours(bucket), length, `${zone} day containing ${instant} is ${length} h`)
  }
})

t.test('hour buckets across New York fall-back: 25 hours with two local 01:00 hours', async t => {
  const day = bucketAt(at('2026-11-01T12:00:00Z'), 'day', 'America/New_York')
  const buckets = listBuckets({ from: day.start, to: day.end }, 'hour', 'America/New_York')
  t.equal(buckets.length, 25)
  t.same(buckets.filter(bucket => !(hours(bucket) === 1)), [], 'every hour is 60 minutes')
  t.same(localStarts(buckets, 'America/New_York').slice(0, 4), [
    '2026-11-01T00:00:00-04:00', '2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T02:00:00-05:00'
  ])
  t.equal(countBuckets({ from: day.start, to: day.end }, 'hour', 'America/New_York'), 25)
})

t.test('hour buckets across New York spring-forward: 23 hours, no local 02:00', async t => {
  const day = bucketAt(at('2026-03-08T12:00:00Z'), 'day', 'America/New_York')
  const buckets = listBuckets({ from: day.start, to: day.end }, 'hour', 'America/New_York')
  t.equal(buckets.length, 23)
  t.same(localStarts(buckets, 'America/New_York').slice(1, 3), ['2026-03-08T01:00:00-05:00', '2026-03-08T03:00:00-04:00'])
  t.same(buckets[1], { start: at('2026-03-08T06:00:00Z'), end: at('2026-03-08T07:00:00Z') })
})

t.test('hour buckets across London changes', async t => {
  const spring = bucketAt(at('2026-03-29T12:00:00Z'), 'day', 'Europe/London')
  t.equal(listBuckets({ from: spring.start, to: spring.end }, 'hour', 'Europe/London').length, 23)
  const autumn = bucketAt(at('2026-10-25T12:00:00Z'), 'day', 'Europe/London')
  const autumnHours = listBuckets({ from: autumn.start, to: autumn.end }, 'hour', 'Europe/London')
  t.equal(autumnHours.length, 25)
  t.same(localStarts(autumnHours, 'Europe/London').slice(1, 3), ['2026-10-25T01:00:00+01:00', '2026-10-25T01:00:00+00:00'])
})

t.test('Lord Howe: a half-hour jump forward makes a 30-minute hour, a half-hour jump back a 90-minute one', async t => {
  const zone = 'Australia/Lord_Howe'
  t.same(bucketAt(at('2026-10-03T15:45:00Z'), 'hour', zone), { start: at('2026-10-03T15:30:00Z'), end: at('2026-10-03T16:00:00Z') },
    'local 02:30+11:00 to 03:00: the clock skipped 02:00-02:30')
  // 01:00-02:00 at +11:00 then 01:30-02:00 again at +10:30: the clock never reads 01:00 twice, so one hour bucket.
  t.same(bucketAt(at('2026-04-04T15:10:00Z'), 'hour', zone), { start: at('2026-04-04T14:00:00Z'), end: at('2026-04-04T15:30:00Z') })
})

t.test('zones with half-hour offsets and far-east days', async t => {
  t.equal(floorToBucket(at('2026-11-01T10:00:00Z'), 'hour', 'Asia/Kolkata'), at('2026-11-01T09:30:00Z'), 'Kolkata hours start at :30 UTC')
  t.equal(floorToBucket(at('2026-11-01T09:29:59.999Z'), 'hour', 'Asia/Kolkata'), at('2026-11-01T08:30:00Z'))
  t.equal(floorToBucket(at('2026-11-01T10:00:00Z'), 'day', 'Asia/Kolkata'), at('2026-10-31T18:30:00Z'), 'Kolkata days start at 18:30Z')
  t.equal(floorToBucket(at('2026-11-01T10:00:00Z'), 'day', 'Asia/Shanghai'), at('2026-10-31T16:00:00Z'), 'Shanghai days start at 16:00Z the day before')
  t.equal(floorToBucket(at('2026-11-01T10:00:00Z'), 'hour', 'Asia/Kathmandu'), at('2026-11-01T09:15:00Z'), 'Kathmandu (+05:45) hours start at :15 UTC')
  t.equal(floorToBucket(at('2026-11-01T10:00:00Z'), 'day', 'UTC'), at('2026-11-01T00:00:00Z'))
})

t.test('a repeated midnight does not start the same day twice (Havana turns 01:00 back to 00:00)', async t => {
  const zone = 'America/Havana'
  const day = bucketAt(at('2026-11-01T12:00:00Z'), 'day', zone)
  t.same(day, { start: at('2026-11-01T04:00:00Z'), end: at('2026-11-02T05:00:00Z') })
  const dayHours = listBuckets({ from: day.start, to: day.end }, 'hour', zone)
  t.same(localStarts(dayHours, zone).slice(0, 2), ['2026-11-01T00:00:00-04:00', '2026-11-01T00:00:00-05:00'], 'but both midnight hours are buckets')
})

t.test('clocks turned back three hours (Casey, 2010-03-05: 02:00+11:00 became 23:00+08:00 the day before)', async t => {
  const zone = 'Antarctica/Casey'
  t.equal(ceilToBucket(at('2010-03-04T14:30:00Z'), 'hour', zone), at('2010-03-04T15:00:00Z'), 'the clock reads 23:00:00 at the change')
  const range = widenRange({ from: at('2010-03-04T13:00:00Z'), to: at('2010-03-04T17:00:00Z') }, 'hour', zone)
  t.same(localStarts(listBuckets(range, 'hour', zone), zone), [
    '2010-03-05T00:00:00+11:00', '2010-03-05T01:00:00+11:00', '2010-03-04T23:00:00+08:00', '2010-03-05T00:00:00+08:00'
  ])
  const day = bucketAt(at('2010-03-04T14:00:00Z'), 'day', zone)
  t.equal(hours(day), 27, 'the repeated hours belong to the day that had already begun')
  t.equal(floorToBucket(at('2010-03-04T15:30:00Z'), 'day', zone), at('2010-03-04T13:00:00Z'))
})

t.test('a skipped date has no bucket (Samoa skipped 2011-12-30)', async t => {
  const zone = 'Pacific/Apia'
  const days = listBuckets(widenRange({ from: at('2011-12-29T12:00:00Z'), to: at('2011-12-31T12:00:00Z') }, 'day', zone), 'day', zone)
  t.same(localStarts(days, zone), ['2011-12-29T00:00:00-10:00', '2011-12-31T00:00:00+14:00', '2012-01-01T00:00:00+14:00'])
  t.same(days.filter(bucket => !(hours(bucket) === 24)), [])
})

t.test('month buckets have their true length', async t => {
  const february2028 = bucketAt(at('2028-02-15T00:00:00Z'), 'month', 'UTC')
  t.same(february2028, { start: at('2028-02-01T00:00:00Z'), end: at('2028-03-01T00:00:00Z') })
  t.equal(hours(february2028), 29 * 24, 'leap February')
  t.equal(hours(bucketAt(at('2027-02-15T00:00:00Z'), 'month', 'UTC')), 28 * 24)
  const march = bucketAt(at('2026-03-15T00:00:00Z'), 'month', 'America/New_York')
  t.same(march, { start: at('2026-03-01T05:00:00Z'), end: at('2026-04-01T04:00:00Z') })
  t.equal(hours(march), 31 * 24 - 1, 'a month containing spring-forward is one hour short')
  t.not((march.end - march.start) % (24 * HOUR), 0, 'not a multiple of 24 h')
  const year = listBuckets({ from: at('2026-01-01T00:00:00+08:00'), to: at('2027-01-01T00:00:00+08:00') }, 'month', 'Asia/Shanghai')
  t.equal(year.length, 12)
  t.equal(formatInstant(year[11]!.start, 'Asia/Shanghai'), '2026-12-01T00:00:00+08:00')
})

t.test('widenRange floors from and ceils to', async t => {
  t.same(widenRange({ from: at('2026-11-01T12:34:56.789Z'), to: at('2026-11-03T01:00:00Z') }, 'day', 'America/New_York'),
    { from: at('2026-11-01T04:00:00Z'), to: at('2026-11-03T05:00:00Z') })
  t.same(widenRange({ from: at('2026-11-01T10:10:00Z'), to: at('2026-11-01T10:40:00Z') }, 'hour', 'Asia/Kolkata'),
    { from: at('2026-11-01T09:30:00Z'), to: at('2026-11-01T11:30:00Z') })
  t.same(widenRange({ from: at('2026-11-15T00:00:00Z'), to: at('2026-11-15T00:00:00.001Z') }, 'month', 'UTC'),
    { from: at('2026-11-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') })
  const aligned = { from: at('2026-11-01T00:00:00Z'), to: at('2026-11-08T00:00:00Z') }
  t.same(widenRange(aligned, 'day', 'UTC'), aligned, 'an aligned range stays as it is')
  t.throws(() => widenRange({ from: aligned.to, to: aligned.from }, 'day', 'UTC'), RangeError)
  t.throws(() => widenRange({ from: aligned.from, to: aligned.from }, 'day', 'UTC'), RangeError)
})

t.test('floor and ceil at and between boundaries', async t => {
  const boundary = at('2026-11-01T04:00:00Z')
  t.equal(floorToBucket(boundary, 'day', 'America/New_York'), boundary)
  t.equal(ceilToBucket(boundary, 'day', 'America/New_York'), boundary)
  t.equal(floorToBucket(boundary - 1, 'day', 'America/New_York'), at('2026-10-31T04:00:00Z'))
  t.equal(ceilToBucket(boundary + 1, 'day', 'America/New_York'), at('2026-11-02T05:00:00Z'))
  t.equal(floorToBucket(at('1969-12-31T23:30:00Z'), 'hour', 'UTC'), at('1969-12-31T23:00:00Z'), 'instants before 1970')
})

t.test('listBuckets and countBuckets refuse unaligned or empty ranges; bad arguments throw RangeError', async t => {
  const day = { from: at('2026-11-01T00:00:00Z'), to: at('2026-11-02T00:00:00Z') }
  t.throws(() => listBuckets({ from: day.from + 1, to: day.to }, 'day', 'UTC'), RangeError)
  t.throws(() => listBuckets({ from: day.from, to: day.to - 1 }, 'day', 'UTC'), RangeError)
  t.throws(() => listBuckets({ from: day.to, to: day.from }, 'day', 'UTC'), RangeError)
  t.throws(() => listBuckets({ from: day.from, to: day.from }, 'day', 'UTC'), RangeError)
  t.throws(() => countBuckets({ from: day.from + 1, to: day.to }, 'day', 'UTC'), RangeError)
  t.throws(() => listBuckets(day, 'day', 'America/New_York'), RangeError, 'UTC midnight is not New York midnight')
  t.throws(() => listBuckets(day, 'week' as Granularity, 'UTC'), RangeError)
  t.throws(() => floorToBucket(day.from, 'day', 'Mars/Olympus'), RangeError)
  t.throws(() => floorToBucket(Number.NaN, 'day', 'UTC'), RangeError)
  t.throws(() => floorToBucket(0.5, 'day', 'UTC'), RangeError)
  t.same(listBuckets(day, 'day', 'UTC'), [{ start: day.from, end: day.to }])
})

t.test('countBuckets over long ranges agrees with listBuckets', async t => {
  const cases: Array<[Granularity, string]> = [['hour', 'Europe/London'], ['hour', 'UTC'], ['day', 'America/Santiago'], ['month', 'Australia/Lord_Howe']]
  for (const [granularity, zone] of cases) {
    const range = widenRange({ from: at('2024-02-10T07:00:00Z'), to: at('2027-05-20T07:00:00Z') }, granularity, zone)
    t.equal(countBuckets(range, granularity, zone), listBuckets(range, granularity, zone).length, `${granularity} in ${zone}`)
  }
  const utcYears = { from: at('2000-01-01T00:00:00Z'), to: at('2040-01-01T00:00:00Z') }
  t.equal(countBuckets(utcYears, 'hour', 'UTC'), (utcYears.to - utcYears.from) / HOUR)
  t.equal(countBuckets(utcYears, 'month', 'UTC'), 480)
})

t.test('formatInstant and formatUtcSeconds', async t => {
  const instant = at('2026-10-31T16:00:00Z')
  const cases: Array<[zone: string, expected: string]> = [
    ['Asia/Shanghai', '2026-11-01T00:00:00+08:00'],
    ['UTC', '2026-10-31T16:00:00Z'],
    ['Etc/UTC', '2026-10-31T16:00:00Z'],
    ['America/New_York', '2026-10-31T12:00:00-04:00'],
    ['Asia/Kolkata', '2026-10-31T21:30:00+05:30'],
    ['Asia/Kathmandu', '2026-10-31T21:45:00+05:45'],
    ['Pacific/Chatham', '2026-11-01T05:45:00+13:45'],
    ['America/St_Johns', '2026-10-31T13:30:00-02:30']
  ]
  for (const [zone, expected] of cases) t.equal(formatInstant(instant, zone), expected, zone)
  t.equal(formatInstant(at('2026-01-15T00:00:00Z'), 'Europe/London'), '2026-01-15T00:00:00+00:00', 'London in winter is +00:00, not Z')
  t.equal(formatInstant(instant + 999, 'Asia/Shanghai'), '2026-11-01T00:00:00+08:00', 'milliseconds are dropped')
  t.equal(formatUtcSeconds(at('2026-11-01T00:00:00+08:00')), '2026-10-31T16:00:00Z')
  t.equal(formatUtcSeconds(at('2026-11-01T16:00:00.987Z')), '2026-11-01T16:00:00Z')
  t.equal(formatUtcSeconds(-1), '1969-12-31T23:59:59Z', 'truncated toward the past before 1970 too')
  t.throws(() => formatInstant(instant, '+08:00'), RangeError)
})
