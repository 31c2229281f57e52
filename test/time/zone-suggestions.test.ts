import t from 'tap'
import { suggestAlignedZones, type NativeGrid } from '../../src/time/index.js'

const HOUR = 3_600_000
const hourly: NativeGrid = { stepMs: HOUR, offsetMs: 0, label: 'hour (UTC)' }
const tencentDays: NativeGrid = { stepMs: 24 * HOUR, offsetMs: -8 * HOUR, label: 'day (UTC+08:00)' }
const week = { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-08T00:00:00Z') }
// Covers both of this year's DST changes in the northern and southern hemispheres.
const longRange = { from: Date.parse('2025-12-20T00:00:00Z'), to: Date.parse('2027-01-24T00:00:00Z') }

t.test('zones whose days fit the hourly grid', async t => {
  const suggestions = suggestAlignedZones(week, 'day', hourly, 30)
  t.ok(suggestions.includes('UTC'), 'UTC fits', { found: suggestions })
  t.notOk(suggestions.includes('Asia/Kolkata'), 'Asia/Kolkata (+05:30) does not', { found: suggestions })
  t.equal(suggestions[0], 'UTC', 'candidate order is kept')
  t.same(suggestAlignedZones(week, 'day', hourly, 2), ['UTC', 'Asia/Shanghai'], 'limit')
  t.same(suggestAlignedZones(week, 'day', hourly, 0), [])
})

t.test('zones whose days fit Tencent UTC+08:00 days', async t => {
  const suggestions = suggestAlignedZones(longRange, 'day', tencentDays, 30)
  t.equal(suggestions[0], 'Asia/Shanghai')
  t.ok(suggestions.includes('Asia/Singapore'), 'Asia/Singapore fits', { found: suggestions })
  t.notOk(suggestions.includes('UTC'), 'UTC does not', { found: suggestions })
  t.notOk(suggestions.includes('America/Los_Angeles'), 'America/Los_Angeles does not', { found: suggestions })
  t.notOk(suggestions.includes('Australia/Sydney'), 'Australia/Sydney does not', { found: suggestions })
  t.same(suggestAlignedZones(longRange, 'month', tencentDays, 1), ['Asia/Shanghai'])
})

t.test('returns [] when no candidate fits', async t => {
  const oddGrid: NativeGrid = { stepMs: 24 * HOUR, offsetMs: 7 * 60_000, label: 'day (UTC-00:07)' }
  t.same(suggestAlignedZones(week, 'day', oddGrid), [])
})
