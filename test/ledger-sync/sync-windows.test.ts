import t from 'tap'
import { recordDifferences } from '../../src/ledger-sync/record-differences.js'
import { uncoveredRuns, windowsOf } from '../../src/ledger-sync/sync-windows.js'
import type { LedgerRecord } from '../../src/ledger/index.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const HOURLY = { stepMs: HOUR, offsetMs: 0, label: 'hour (UTC)' }
const UTC8_DAYS = { stepMs: DAY, offsetMs: -8 * HOUR, label: 'day (UTC+8)' }
const bucket = (start: number, stepMs = HOUR) => ({ start, end: start + stepMs })

t.test('uncovered runs: the gaps between covered buckets, in order', async t => {
  const span = { from: 0, to: 10 * HOUR }
  t.same(uncoveredRuns(span, [], HOURLY), [span], 'nothing covered: one run')
  t.same(uncoveredRuns(span, [0, 1, 4, 5, 9].map(hour => bucket(hour * HOUR)), HOURLY), [{ from: 2 * HOUR, to: 4 * HOUR }, { from: 6 * HOUR, to: 9 * HOUR }])
  t.same(uncoveredRuns(span, Array.from({ length: 10 }, (_, hour) => bucket(hour * HOUR)), HOURLY), [], 'all covered: nothing')
})

t.test('windows: as long as the span limit allows, on the grid, never across a run\'s end', async t => {
  const limits = { maxSpanMs: 31 * DAY, minSpanMs: HOUR }
  const windows = windowsOf([{ from: 0, to: 90 * DAY }, { from: 100 * DAY, to: 100 * DAY + 3 * HOUR }], HOURLY, { limits, earliest: 0 })
  t.same(windows, [
    { from: 0, to: 31 * DAY }, { from: 31 * DAY, to: 62 * DAY }, { from: 62 * DAY, to: 90 * DAY }, { from: 100 * DAY, to: 100 * DAY + 3 * HOUR }
  ])
  t.same(windowsOf([{ from: 0, to: DAY }], HOURLY, { limits, maxWindowMs: 7 * HOUR, earliest: 0 }).map(window => (window.to - window.from) / HOUR), [7, 7, 7, 3], 'a chosen shorter length')
  t.same(windowsOf([{ from: 0, to: DAY }], HOURLY, { limits, maxWindowMs: 1000, earliest: 0 }).length, 24, 'never shorter than one native bucket')
  // Tencent MPS days on UTC+8: a 90-day span limit that is a whole number of days.
  const mpsDays = windowsOf([{ from: -8 * HOUR, to: 200 * DAY - 8 * HOUR }], UTC8_DAYS, { limits: { maxSpanMs: 90 * DAY, minSpanMs: DAY }, earliest: -8 * HOUR })
  t.same(mpsDays.map(window => (window.to - window.from) / DAY), [90, 90, 20])
  t.same(mpsDays.filter(window => !((window.from + 8 * HOUR) % DAY === 0)), [], 'on the UTC+8 grid')
})

t.test('a gap shorter than the kind\'s minimum span is asked with the settled buckets before it, never before the lookback', async t => {
  const limits = { maxSpanMs: 31 * DAY, minSpanMs: 3 * HOUR }
  t.same(windowsOf([{ from: 10 * HOUR, to: 11 * HOUR }], HOURLY, { limits, earliest: 0 }), [{ from: 8 * HOUR, to: 11 * HOUR }])
  t.same(windowsOf([{ from: HOUR, to: 2 * HOUR }], HOURLY, { limits, earliest: HOUR }), [{ from: HOUR, to: 2 * HOUR }], 'the lookback wins')
})

t.test('record differences: by metric and dimensions, key order ignored; a record on one side only differs', async t => {
  const ledger: LedgerRecord[] = [
    { metric: 'm', dimensions: { a: '1', b: '2' }, value: 10, unit: 'second' },
    { metric: 'm', dimensions: { a: '2' }, value: 5, unit: 'second' },
    { metric: 'gone', dimensions: {}, value: 0, unit: 'count' }
  ]
  const provider: LedgerRecord[] = [
    { metric: 'm', dimensions: { b: '2', a: '1' }, value: 10, unit: 'second' },
    { metric: 'm', dimensions: { a: '2' }, value: 6, unit: 'second' },
    { metric: 'new', dimensions: {}, value: 3, unit: 'count' }
  ]
  t.same(recordDifferences(ledger, provider), [
    { metric: 'm', dimensions: { a: '2' }, unit: 'second', ledger: 5, provider: 6 },
    { metric: 'new', dimensions: {}, unit: 'count', ledger: null, provider: 3 },
    { metric: 'gone', dimensions: {}, unit: 'count', ledger: 0, provider: null }
  ])
  t.same(recordDifferences(ledger.slice(0, 2), provider.slice(0, 1).concat([{ ...provider[1]!, value: 5 }])), [], 'the same usage')
})
