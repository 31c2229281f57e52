import t from 'tap'
import { ConfigError } from '../../src/config/config-error.js'
import { loadConfig } from '../../src/config/load-config.js'
import { parseDurationText } from '../../src/time/duration-text.js'

t.test('the ledger sync runs every 15 minutes and rechecks 3 days unless told otherwise', async t => {
  t.same(loadConfig({}).sync, { intervalMs: 15 * 60_000, recheckDays: 3 })
  t.same(loadConfig({ USAGE_SYNC_INTERVAL: '0', USAGE_SYNC_RECHECK_DAYS: '0' }).sync, { intervalMs: 0, recheckDays: 0 }, '0: off, and no recheck')
  t.same(loadConfig({ USAGE_SYNC_INTERVAL: '1h', USAGE_SYNC_RECHECK_DAYS: '14' }).sync, { intervalMs: 3_600_000, recheckDays: 14 })
  t.same(loadConfig({ USAGE_SYNC_INTERVAL: ' ', USAGE_SYNC_RECHECK_DAYS: '' }).sync, { intervalMs: 15 * 60_000, recheckDays: 3 }, 'empty means unset')
})

for (const [variable, value, message] of [
  ['USAGE_SYNC_INTERVAL', '15', /expected a whole number followed by ms, s, m, h or d/],
  ['USAGE_SYNC_INTERVAL', '1.5h', /expected a whole number followed by ms, s, m, h or d/],
  ['USAGE_SYNC_INTERVAL', '5s', /expected 0 \(off\) or from 10s to 7d/],
  ['USAGE_SYNC_INTERVAL', '8d', /expected 0 \(off\) or from 10s to 7d/],
  ['USAGE_SYNC_RECHECK_DAYS', '-1', /0/],
  ['USAGE_SYNC_RECHECK_DAYS', '91', /at most 90 days/],
  ['USAGE_SYNC_RECHECK_DAYS', '2.5', /whole number of days/]
] as const) {
  t.test(`${variable}=${value} stops the service naming the variable`, async t => {
    t.throws(() => loadConfig({ [variable]: value }), ConfigError)
    try {
      loadConfig({ [variable]: value })
    } catch (error) {
      t.equal((error as ConfigError).variable, variable)
      t.match((error as Error).message, message)
    }
  })
}

t.test('durations as operators write them', async t => {
  t.equal(parseDurationText('0'), 0)
  t.equal(parseDurationText('250ms'), 250)
  t.equal(parseDurationText('90s'), 90_000)
  t.equal(parseDurationText('15m'), 900_000)
  t.equal(parseDurationText(' 6h '), 21_600_000)
  t.equal(parseDurationText('2d'), 172_800_000)
  for (const bad of ['', '15', '1.5h', '1h30m', '-1h', '1H', 'h', '1 h', '0s0']) t.equal(parseDurationText(bad), null, JSON.stringify(bad))
})
