import t from 'tap'
import {
  bucketsAlignToGrid, ceilToGrid, floorToGrid, isOnGrid, listBuckets, listGridBuckets, widenRange, type NativeGrid
} from '../../src/time/index.js'

const HOUR = 3_600_000
const hourly: NativeGrid = { stepMs: HOUR, offsetMs: 0, label: 'hour (UTC)' }
const tencentDays: NativeGrid = { stepMs: 24 * HOUR, offsetMs: -8 * HOUR, label: 'day (UTC+08:00)' }
const fiveMinutes: NativeGrid = { stepMs: 300_000, offsetMs: 0, label: '5 minutes' }
const at = (iso: string): number => Date.parse(iso)

t.test('isOnGrid, floorToGrid and ceilToGrid, also before 1970', async t => {
  t.ok(isOnGrid(at('2026-10-31T16:00:00Z'), tencentDays))
  t.notOk(isOnGrid(at('2026-11-01T00:00:00Z'), tencentDays))
  t.ok(isOnGrid(-8 * HOUR, tencentDays))
  t.ok(isOnGrid(-HOUR, hourly))
  t.notOk(isOnGrid(-1, hourly))
  t.equal(floorToGrid(-1, hourly), -HOUR)
  t.equal(ceilToGrid(-1, hourly), 0)
  t.equal(ceilToGrid(-HOUR, hourly), -HOUR)
  t.equal(floorToGrid(at('2026-11-01T03:00:00Z'), tencentDays), at('2026-10-31T16:00:00Z'))
  t.equal(ceilToGrid(at('2026-11-01T03:00:00Z'), tencentDays), at('2026-11-01T16:00:00Z'))
  t.equal(floorToGrid(at('1969-12-31T03:00:00Z'), tencentDays), at('1969-12-30T16:00:00Z'))
  t.equal(ceilToGrid(at('2026-11-01T10:31:00Z'), fiveMinutes), at('2026-11-01T10:35:00Z'))
  t.throws(() => isOnGrid(0, { stepMs: 0, offsetMs: 0, label: 'broken' }), RangeError)
})

t.test('which requested buckets are unions of native buckets', async t => {
  const week = { from: at('2026-11-01T00:00:00Z'), to: at('2026-11-08T00:00:00Z') }
  const days = (zone: string) => listBuckets(widenRange(week, 'day', zone), 'day', zone)
  t.ok(bucketsAlignToGrid(days('Asia/Shanghai'), tencentDays), 'Shanghai days on Tencent days')
  t.notOk(bucketsAlignToGrid(days('UTC'), tencentDays), 'UTC days are not Tencent days')
  t.notOk(bucketsAlignToGrid(days('America/Los_Angeles'), tencentDays), 'Los Angeles days are not Tencent days')
  t.ok(bucketsAlignToGrid(days('America/Los_Angeles'), hourly), 'Los Angeles days are whole UTC hours, even across fall-back')
  t.notOk(bucketsAlignToGrid(days('Asia/Kolkata'), hourly), 'Kolkata days start at :30')
  t.ok(bucketsAlignToGrid(days('Asia/Kolkata'), fiveMinutes), 'but on 5-minute marks')
  t.ok(bucketsAlignToGrid(days('Asia/Kathmandu'), fiveMinutes), 'Kathmandu days start at 18:15Z, a 5-minute mark')
  t.notOk(bucketsAlignToGrid(days('Asia/Kathmandu'), { stepMs: 1_800_000, offsetMs: 0, label: '30 minutes' }), 'but not a half hour')
  t.ok(bucketsAlignToGrid([], hourly), 'no buckets align trivially')
  const mixed = [{ start: 0, end: HOUR }, { start: HOUR, end: HOUR + 60_000 }]
  t.notOk(bucketsAlignToGrid(mixed, hourly), 'one misaligned end is enough to fail')
})

t.test('listGridBuckets', async t => {
  const buckets = listGridBuckets({ from: at('2026-10-31T16:00:00Z'), to: at('2026-11-02T16:00:00Z') }, tencentDays)
  t.same(buckets, [
    { start: at('2026-10-31T16:00:00Z'), end: at('2026-11-01T16:00:00Z') },
    { start: at('2026-11-01T16:00:00Z'), end: at('2026-11-02T16:00:00Z') }
  ])
  t.equal(listGridBuckets({ from: -HOUR, to: HOUR }, hourly).length, 2)
  t.throws(() => listGridBuckets({ from: at('2026-11-01T00:00:00Z'), to: at('2026-11-02T16:00:00Z') }, tencentDays), RangeError)
  t.throws(() => listGridBuckets({ from: 0, to: 0 }, hourly), RangeError)
})
