import t from 'tap'
import { isValidZone, offsetMinutesAt } from '../../src/time/index.js'

t.test('isValidZone accepts IANA names and nothing else', async t => {
  for (const zone of ['UTC', 'Etc/UTC', 'Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Asia/Calcutta', 'Etc/GMT+8',
    'America/Argentina/Buenos_Aires', 'America/Port-au-Prince', 'Australia/Lord_Howe', 'utc']) {
    t.ok(isValidZone(zone), zone)
  }
  for (const zone of ['', 'local', '+08:00', '-05:00', 'UTC+8', 'GMT+8', 'Z', 'Mars/Olympus', 'Asia/', '/UTC', ' UTC', 'UTC ',
    'Asia/Shanghai\n', 'Europe/../London', 'a'.repeat(200)]) {
    t.notOk(isValidZone(zone), JSON.stringify(zone))
  }
})

t.test('offsetMinutesAt', async t => {
  const cases: Array<[iso: string, zone: string, minutes: number]> = [
    ['2026-07-01T00:00:00Z', 'UTC', 0],
    ['2026-07-01T00:00:00Z', 'America/New_York', -240],
    ['2026-12-01T00:00:00Z', 'America/New_York', -300],
    ['2026-03-08T06:59:59.999Z', 'America/New_York', -300],
    ['2026-03-08T07:00:00Z', 'America/New_York', -240],
    ['2026-07-01T00:00:00Z', 'Asia/Kolkata', 330],
    ['2026-07-01T00:00:00Z', 'Asia/Kathmandu', 345],
    ['2026-07-01T00:00:00Z', 'Australia/Lord_Howe', 630],
    ['2026-12-01T00:00:00Z', 'Australia/Lord_Howe', 660],
    ['2026-12-01T00:00:00Z', 'Pacific/Chatham', 825],
    ['1960-01-01T00:00:00Z', 'Europe/London', 0]
  ]
  for (const [iso, zone, minutes] of cases) t.equal(offsetMinutesAt(Date.parse(iso), zone), minutes, `${zone} at ${iso}`)
  t.throws(() => offsetMinutesAt(0, 'local'), RangeError)
  t.throws(() => offsetMinutesAt(Number.POSITIVE_INFINITY, 'UTC'), RangeError)
})
