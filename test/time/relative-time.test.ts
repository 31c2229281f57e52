import t from 'tap'
import { resolveRelativeTime } from '../../src/time/relative-time.js'

const at = (iso: string): number => Date.parse(iso)

function resolved (text: string, now: string, zone: string): string {
  const result = resolveRelativeTime(text, at(now), zone)
  return result.ok ? new Date(result.instant).toISOString() : `refused: ${result.reason}`
}

t.test('relative times resolve against now in the zone', async t => {
  const cases: Array<[text: string, now: string, zone: string, expected: string, why: string]> = [
    ['now', '2026-11-20T10:30:12.345Z', 'UTC', '2026-11-20T10:30:12.345Z', 'now itself, to the millisecond'],
    ['now-7d', '2026-11-20T10:30:00Z', 'UTC', '2026-11-13T10:30:00.000Z', 'days back'],
    ['now+1d', '2026-11-20T10:30:00Z', 'UTC', '2026-11-21T10:30:00.000Z', 'the future is a time like any other'],
    ['now 1d', '2026-11-20T10:30:00Z', 'UTC', '2026-11-21T10:30:00.000Z', 'a + sent unencoded in a URL arrives as a space'],
    ['now-6h', '2026-11-20T10:30:00Z', 'UTC', '2026-11-20T04:30:00.000Z', 'hours'],
    ['now-90m', '2026-11-20T10:30:00Z', 'UTC', '2026-11-20T09:00:00.000Z', 'minutes'],
    ['now-30s', '2026-11-20T10:30:00Z', 'UTC', '2026-11-20T10:29:30.000Z', 'seconds'],
    ['now/d', '2026-11-20T10:30:00Z', 'UTC', '2026-11-20T00:00:00.000Z', 'start of the day'],
    ['now/d', '2026-11-20T10:30:00Z', 'Asia/Shanghai', '2026-11-19T16:00:00.000Z', 'Shanghai midnight'],
    ['now-7d/d', '2026-11-20T10:30:00Z', 'Asia/Shanghai', '2026-11-12T16:00:00.000Z', 'a week of Shanghai days'],
    ['now/d', '2026-11-20T17:00:00Z', 'Asia/Shanghai', '2026-11-20T16:00:00.000Z', 'already the next day in Shanghai'],
    ['now/M', '2026-11-20T10:30:00Z', 'UTC', '2026-11-01T00:00:00.000Z', 'start of the month'],
    ['now-1M/M', '2026-11-20T10:30:00Z', 'Asia/Shanghai', '2026-09-30T16:00:00.000Z', 'start of last month in Shanghai'],
    ['now-1M/M', '2026-01-15T10:30:00Z', 'UTC', '2025-12-01T00:00:00.000Z', 'last month across a year end'],
    ['now/y', '2026-11-20T10:30:00Z', 'Asia/Shanghai', '2025-12-31T16:00:00.000Z', 'start of the year in Shanghai'],
    ['now-1y/y', '2026-11-20T10:30:00Z', 'UTC', '2025-01-01T00:00:00.000Z', 'start of last year'],
    ['now/h', '2026-11-20T10:30:00Z', 'Asia/Kolkata', '2026-11-20T10:30:00.000Z', 'a Kolkata hour starts at :30 UTC'],
    ['now/h', '2026-11-20T10:29:59Z', 'Asia/Kolkata', '2026-11-20T09:30:00.000Z', 'the hour before'],
    ['now/m', '2026-11-20T10:30:59.999Z', 'UTC', '2026-11-20T10:30:00.000Z', 'whole minute'],
    ['now/s', '2026-11-20T10:30:59.999Z', 'UTC', '2026-11-20T10:30:59.000Z', 'whole second'],
    // Weeks are ISO weeks: they start on Monday. 2026-11-20 is a Friday, the 16th a Monday, the 22nd a Sunday.
    ['now/w', '2026-11-20T10:30:00Z', 'UTC', '2026-11-16T00:00:00.000Z', 'Friday goes back to Monday'],
    ['now/w', '2026-11-22T23:59:59Z', 'UTC', '2026-11-16T00:00:00.000Z', 'Sunday is the end of the week'],
    ['now/w', '2026-11-16T00:00:00Z', 'UTC', '2026-11-16T00:00:00.000Z', 'Monday is its own start'],
    ['now/w', '2026-11-22T17:00:00Z', 'Asia/Shanghai', '2026-11-22T16:00:00.000Z', 'already Monday in Shanghai'],
    ['now-1w/w', '2026-11-20T10:30:00Z', 'UTC', '2026-11-09T00:00:00.000Z', 'last week'],
    ['now/d+8h', '2026-11-20T10:30:00Z', 'UTC', '2026-11-20T08:00:00.000Z', 'steps apply left to right'],
    ['now-1d/d+1d', '2026-11-20T10:30:00Z', 'UTC', '2026-11-20T00:00:00.000Z', 'round then move again'],
    // Month ends and leap years: the day is clamped to the month it lands in.
    ['now-1M', '2026-03-31T12:00:00Z', 'UTC', '2026-02-28T12:00:00.000Z', 'March 31st minus a month'],
    ['now-1M', '2028-03-31T12:00:00Z', 'UTC', '2028-02-29T12:00:00.000Z', 'in a leap year'],
    ['now+1M', '2026-01-31T12:00:00Z', 'UTC', '2026-02-28T12:00:00.000Z', 'January 31st plus a month'],
    ['now+1y', '2028-02-29T12:00:00Z', 'UTC', '2029-02-28T12:00:00.000Z', 'February 29th plus a year'],
    ['now-4y', '2028-02-29T12:00:00Z', 'UTC', '2024-02-29T12:00:00.000Z', 'leap day to leap day'],
    ['now-12M', '2026-11-20T10:30:00Z', 'UTC', '2025-11-20T10:30:00.000Z', 'twelve months are a year'],
    ['now/M', '2028-02-29T23:59:59Z', 'UTC', '2028-02-01T00:00:00.000Z', 'last second of a leap February'],
    // New York: clocks go forward on 2026-03-08 (a 23-hour day) and back on 2026-11-01 (a 25-hour day).
    ['now-1d', '2026-03-08T16:00:00Z', 'America/New_York', '2026-03-07T17:00:00.000Z', 'noon to noon over a 23-hour day'],
    ['now-24h', '2026-03-08T16:00:00Z', 'America/New_York', '2026-03-07T16:00:00.000Z', 'hours are elapsed time'],
    ['now-1d/d', '2026-03-09T16:00:00Z', 'America/New_York', '2026-03-08T05:00:00.000Z', 'yesterday was 23 hours long'],
    ['now/d', '2026-03-09T16:00:00Z', 'America/New_York', '2026-03-09T04:00:00.000Z', 'today, after the change'],
    ['now-1d', '2026-11-01T17:00:00Z', 'America/New_York', '2026-10-31T16:00:00.000Z', 'noon to noon over a 25-hour day'],
    ['now-1d/d', '2026-11-02T17:00:00Z', 'America/New_York', '2026-11-01T04:00:00.000Z', 'yesterday was 25 hours long'],
    ['now+1d/d', '2026-11-01T17:00:00Z', 'America/New_York', '2026-11-02T05:00:00.000Z', 'tomorrow starts 25 hours after today'],
    ['now-1d', '2026-03-09T06:30:00Z', 'America/New_York', '2026-03-08T07:00:00.000Z', '02:30 was skipped: the instant the clock jumped'],
    ['now-1d', '2026-11-02T06:30:00Z', 'America/New_York', '2026-11-01T05:30:00.000Z', '01:30 was read twice: the first time'],
    ['now/h', '2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01T06:00:00.000Z', 'the repeated hour is an hour of its own'],
    // Santiago skips midnight when DST starts: that day starts at 01:00.
    ['now/d', '2026-09-06T15:00:00Z', 'America/Santiago', '2026-09-06T04:00:00.000Z', 'a day without a midnight'],
    ['now/w', '2026-09-09T15:00:00Z', 'America/Santiago', '2026-09-07T03:00:00.000Z', 'the Monday after it, on summer time'],
    // Samoa skipped 2011-12-30 entirely.
    ['now-1d', '2011-12-31T12:00:00+14:00', 'Pacific/Apia', '2011-12-30T10:00:00.000Z', 'a skipped day lands on the jump']
  ]
  for (const [text, now, zone, expected, why] of cases) {
    t.equal(resolved(text, now, zone), expected, `${text} at ${now} in ${zone}: ${why}`)
  }
})

t.test('anything else is refused with what is accepted', async t => {
  const refused: Array<[text: string, reason: RegExp]> = [
    ['now-', /now\[±N unit\]\[\/unit\]/],
    ['now-7', /now\[±N unit\]\[\/unit\]/],
    ['now-7D', /not 'D'/],
    ['now-7x', /not 'x'/],
    ['now/2d', /without a count/],
    ['now/', /now\[±N unit\]/],
    ['now - 7d', /now\[±N unit\]/],
    ['now-1d/', /now\[±N unit\]/],
    ['now-1.5d', /now\[±N unit\]/],
    ['nowd', /now\[±N unit\]/],
    ['Now', /relative time/],
    ['now-1d-1d-1d-1d-1d-1d-1d-1d-1d', /at most 8 steps/],
    ['now-999999999y', /years 1000 to 9999/],
    ['now+8000y', /years 1000 to 9999/],
    ['now-999999999h', /years 1000 to 9999/]
  ]
  for (const [text, reason] of refused) {
    const result = resolveRelativeTime(text, at('2026-11-20T10:30:00Z'), 'UTC')
    t.equal(result.ok, false, `${text} is refused`)
    if (!result.ok) t.match(result.reason, reason, `${text}: ${result.reason}`)
  }
})
