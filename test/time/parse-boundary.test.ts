import t from 'tap'
import { parseBoundary, type BoundaryForm } from '../../src/time/index.js'

const at = (iso: string): number => Date.parse(iso)
const NOW = at('2026-11-20T10:30:00Z')

t.test('accepted inputs', async t => {
  const cases: Array<[text: string, zone: string, instant: string, form: BoundaryForm]> = [
    ['2026-11-01T00:00:00+08:00', 'UTC', '2026-10-31T16:00:00Z', 'date-time'],
    ['2026-11-01T00:00:00Z', 'Asia/Shanghai', '2026-11-01T00:00:00Z', 'date-time'],
    ['2026-11-01T00:00:00-05:30', 'UTC', '2026-11-01T05:30:00Z', 'date-time'],
    ['2026-11-01T12:34:56.789Z', 'UTC', '2026-11-01T12:34:56.789Z', 'date-time'],
    ['2026-11-01T12:34:56.5Z', 'UTC', '2026-11-01T12:34:56.500Z', 'date-time'],
    ['2026-11-01T12:34:56.123999+01:00', 'UTC', '2026-11-01T11:34:56.123Z', 'date-time'],
    ['2026-11-01', 'UTC', '2026-11-01T00:00:00Z', 'date'],
    ['2026-11-01', 'Asia/Shanghai', '2026-10-31T16:00:00Z', 'date'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00Z', 'date'],
    ['2026-11-01', 'Asia/Kolkata', '2026-10-31T18:30:00Z', 'date'],
    ['2028-02-29', 'UTC', '2028-02-29T00:00:00Z', 'date'],
    ['1970-01-01', 'UTC', '1970-01-01T00:00:00Z', 'date'],
    ['9999-12-31T23:59:59Z', 'UTC', '9999-12-31T23:59:59Z', 'date-time'],
    // Santiago skips midnight when DST starts: the day begins at 01:00 local.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00Z', 'date'],
    // Samoa skipped 2011-12-30 entirely: its first existing instant is the start of the 31st.
    ['2011-12-30', 'Pacific/Apia', '2011-12-30T10:00:00Z', 'date'],
    // All digits: epoch milliseconds, whatever their number; the query's bounds refuse what is too early.
    ['1793491200000', 'UTC', '2026-11-01T00:00:00Z', 'epoch-milliseconds'],
    ['1793491200000', 'Asia/Shanghai', '2026-11-01T00:00:00Z', 'epoch-milliseconds'],
    ['20261101', 'UTC', '1970-01-01T05:37:41.101Z', 'epoch-milliseconds'],
    ['0', 'UTC', '1970-01-01T00:00:00Z', 'epoch-milliseconds'],
    ['now', 'UTC', '2026-11-20T10:30:00Z', 'relative'],
    ['now-7d/d', 'Asia/Shanghai', '2026-11-12T16:00:00Z', 'relative']
  ]
  for (const [text, zone, instant, form] of cases) {
    t.same(parseBoundary(text, zone, NOW), { ok: true, instant: at(instant), form }, `${text} in ${zone}`)
  }
})

t.test('rejected inputs say what is accepted', async t => {
  const rejected = [
    '2026-11-01T00:00:00', '2026-11-01T00:00', '2026-02-30', '2026-13-01', '2026-00-10', '2026-11-00', '2027-02-29',
    '2026-W44-7', '2026-305', '', 'yesterday', 'now-', 'Now', 'now-7', 'now-7x', '-1793491200000', '17934912000000000', '2026-11-01 00:00:00Z', '2026-11-01t00:00:00z',
    '2026-11-01T24:00:00Z', '2026-11-01T23:60:00Z', '2026-12-31T23:59:60Z', '2026-11-01T00:00:00+24:00',
    '2026-11-01T00:00:00+0800', '2026-11-01T00:00:00+08', '2026-11-01T00:00:00.Z', '1969-12-31', '1969-12-31T23:00:00Z',
    '10000-01-01', '+002026-11-01', ' 2026-11-01', '2026-11-01 ', '2026-1-1', '1e12', '1793491200000.5', '0x1A'
  ]
  for (const text of rejected) {
    const result = parseBoundary(text, 'UTC', NOW)
    t.equal(result.ok, false, JSON.stringify(text))
    if (!result.ok) t.match(result.reason, /\S/, `${JSON.stringify(text)} has a reason`)
  }
})

t.test('reasons are specific', async t => {
  const reasonOf = (text: string, zone = 'UTC'): string => {
    const result = parseBoundary(text, zone, NOW)
    return result.ok ? 'accepted' : result.reason
  }
  t.match(reasonOf('2026-11-01T00:00:00'), /offset/)
  t.match(reasonOf('2026-02-30'), /calendar date/)
  t.match(reasonOf('1969-12-31'), /1970/)
  t.match(reasonOf('2026-11-01T25:00:00Z'), /time of day/)
  t.match(reasonOf('yesterday'), /RFC 3339/)
  t.match(reasonOf('2026-11-01', 'Mars/Olympus'), /time zone/, 'a date needs a real zone')
  t.match(reasonOf('now/d', 'Mars/Olympus'), /time zone/, 'a relative time needs a real zone')
  t.match(reasonOf('yesterday'), /epoch milliseconds.*now\[±N unit\]\[\/unit\]/, 'every accepted form is named')
  t.same(parseBoundary('2026-11-01T00:00:00Z', 'Mars/Olympus', NOW), { ok: true, instant: at('2026-11-01T00:00:00Z'), form: 'date-time' },
    'an explicit offset does not need the zone')
  t.same(parseBoundary('1793491200000', 'Mars/Olympus', NOW), { ok: true, instant: at('2026-11-01T00:00:00Z'), form: 'epoch-milliseconds' },
    'nor do epoch milliseconds')
})
