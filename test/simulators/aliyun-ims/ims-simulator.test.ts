import fc from 'fast-check'
import t from 'tap'
import { z } from 'zod'
import { fixedClock } from '../../../src/clock.js'
import {
  IMS_METER_ERRORS, IMS_STRING_TYPED_FIELDS, IMS_SUMMARY_FIELDS, imsHourAmount, imsRangeTotals, imsSendsAsString, imsTruth,
  startImsSimulator, type ImsMeterErrorCode, type ImsSimulator, type ImsSummaryField
} from '../../../src/simulators/aliyun-ims/ims-simulator.js'
import { ACCOUNT, callAcs3, callRpc, NOW, type CallAnswer, type TapTest } from '../aliyun/aliyun-test-client.js'
import { checkedBody } from '../../support/checked-body.js'
import { propertySeed } from '../../support/property-seed.js'
import { valueAt } from '../../support/value-at.js'

const SECOND = 1000
const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
const ACTION = 'DescribeMeterImsSummary'
const VERSION = '2020-11-09'

async function startSimulator (t: TapTest, options: { qps?: number, monotonicNow?: () => number } = {}): Promise<ImsSimulator> {
  const simulator = await startImsSimulator({ accounts: [ACCOUNT], clock: fixedClock(NOW), qps: options.qps ?? 1000, monotonicNow: options.monotonicNow })
  t.teardown(() => simulator.close())
  return simulator
}

const seconds = (instant: number): string => String(instant / SECOND)

async function summary (simulator: ImsSimulator, parameters: Record<string, string>, extra: { secret?: string, date?: number, nonce?: string, version?: string } = {}) {
  return await callAcs3({
    url: simulator.url,
    action: ACTION,
    version: extra.version ?? VERSION,
    parameters: { ...parameters, Format: 'JSON' },
    secret: extra.secret,
    date: extra.date,
    nonce: extra.nonce
  })
}

async function rangeOf (simulator: ImsSimulator, from: number, to: number): Promise<Record<ImsSummaryField, number>> {
  const answer = await summary(simulator, { StartTs: seconds(from), EndTs: seconds(to) })
  if (answer.status !== 200) throw new Error(`unexpected ${answer.status}: ${answer.text}`)
  const [item, ...rest] = dataOf(answer)
  if (rest.length > 0) throw new Error('more than one Data object')
  return Object.fromEntries(IMS_SUMMARY_FIELDS.map(field => [field, Number(item![field])])) as Record<ImsSummaryField, number>
}

const summaryAnswerSchema = z.object({ RequestId: z.string(), Data: z.array(z.record(z.string(), z.unknown())) })

/** Data of an answer with usage, checked; fails with the answer otherwise. */
function dataOf (answer: CallAnswer): Array<Record<string, unknown>> {
  return checkedBody(summaryAnswerSchema, `${ACTION}: ${answer.status} ${answer.text.slice(0, 1000)}`, answer.json).Data
}

function assertMeterError (t: TapTest, answer: { status: number, json: unknown }, code: ImsMeterErrorCode, message?: RegExp): void {
  t.equal(answer.status, IMS_METER_ERRORS[code].status, `status of ${code}`)
  t.match(answer.json, { Code: code, HostId: 'ice.aliyuncs.com', RequestId: String, Recommend: /product=ice/ })
  if (message) t.match(answer.json, { Message: message })
}

const DAY_RANGE = { StartTs: seconds(Date.parse('2026-11-18T00:00:00Z')), EndTs: seconds(Date.parse('2026-11-19T00:00:00Z')) }

t.test('a happy call answers one Data object with the eight documented fields', async t => {
  const simulator = await startSimulator(t)
  const answer = await summary(simulator, DAY_RANGE)
  t.equal(answer.status, 200)
  t.match(answer.headers['content-type'], /^application\/json/)
  t.equal(valueAt(answer.json, 'RequestId'), answer.headers['x-acs-request-id'])
  t.equal(dataOf(answer).length, 1)
  const item = dataOf(answer)[0]!
  t.same(Object.keys(item), [...IMS_SUMMARY_FIELDS], 'the documented fields, in the documented order')
  const expected = imsRangeTotals(Number(DAY_RANGE.StartTs) * SECOND, Number(DAY_RANGE.EndTs) * SECOND, NOW)
  for (const field of IMS_SUMMARY_FIELDS) {
    t.equal(Number(item[field]), expected[field], field)
    t.match(String(item[field]), /^\d+$/, `${field} is a non-negative integer`)
  }
  t.ok(IMS_SUMMARY_FIELDS.some(field => expected[field] > 0), 'there is usage', { found: expected })

  const again = await summary(simulator, DAY_RANGE)
  t.same(dataOf(again), dataOf(answer), 'the same range answers the same numbers')
  t.not(valueAt(again.json, 'RequestId'), valueAt(answer.json, 'RequestId'))
})

t.test('the string-typed fields come as JSON strings for some ranges and numbers for others; the rest always numbers', async t => {
  const simulator = await startSimulator(t)
  const seen = new Map<string, Set<string>>()
  for (let day = 1; day <= 12; day++) {
    const from = Date.parse('2026-11-01T00:00:00Z') + day * DAY
    const answer = await summary(simulator, { StartTs: seconds(from), EndTs: seconds(from + DAY) })
    for (const [field, value] of Object.entries(dataOf(answer)[0]!)) {
      const types = seen.get(field) ?? new Set<string>()
      types.add(typeof value)
      seen.set(field, types)
      t.equal(typeof value === 'string', imsSendsAsString(field, seconds(from), seconds(from + DAY)), `${field} typed as the hash says`)
    }
  }
  for (const field of IMS_SUMMARY_FIELDS) {
    const expected = IMS_STRING_TYPED_FIELDS.includes(field) ? ['number', 'string'] : ['number']
    t.same([...(seen.get(field) ?? [])].sort(), expected, field)
  }
})

t.test('StartTs and EndTs are validated with 400 Meter.ParamError', async t => {
  const simulator = await startSimulator(t)
  const start = Date.parse('2026-11-01T00:00:00Z')
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['StartTs missing', { EndTs: seconds(start + DAY) }, /^Param Error:StartTs .*,Please Check Again\.$/],
    ['EndTs missing', { StartTs: seconds(start) }, /EndTs/],
    ['milliseconds, not seconds', { StartTs: String(start), EndTs: String(start + DAY) }, /StartTs/],
    ['not a number', { StartTs: '17x1234567', EndTs: seconds(start + DAY) }, /StartTs/],
    ['leading zero', { StartTs: '0' + seconds(start).slice(1), EndTs: seconds(start + DAY) }, /StartTs/],
    ['a fraction', { StartTs: seconds(start), EndTs: seconds(start + DAY) + '.5' }, /EndTs/],
    ['an ISO date', { StartTs: '2026-11-01T00:00:00Z', EndTs: seconds(start + DAY) }, /StartTs/],
    ['EndTs equal to StartTs', { StartTs: seconds(start), EndTs: seconds(start) }, /later than StartTs/],
    ['EndTs before StartTs', { StartTs: seconds(start + DAY), EndTs: seconds(start) }, /later than StartTs/],
    ['more than 31 days', { StartTs: seconds(start - 20 * DAY), EndTs: seconds(start + 11 * DAY + SECOND) }, /31 days/],
    ['older than 90 days', { StartTs: seconds(NOW - 90 * DAY - SECOND), EndTs: seconds(NOW - 89 * DAY) }, /90 days/]
  ]
  for (const [name, parameters, message] of cases) {
    t.test(name, async t => assertMeterError(t, await summary(simulator, parameters), 'Meter.ParamError', message))
  }
  t.equal((await summary(simulator, { StartTs: seconds(start - 20 * DAY), EndTs: seconds(start + 11 * DAY) })).status, 200, 'exactly 31 days is accepted')
  t.equal((await summary(simulator, { StartTs: seconds(NOW - 90 * DAY), EndTs: seconds(NOW - 89 * DAY) })).status, 200, 'exactly 90 days back is accepted')
  t.equal((await summary(simulator, { StartTs: seconds(start + 7 * SECOND), EndTs: seconds(start + 11 * SECOND) })).status, 200, 'any whole seconds are accepted')
})

t.test('Region has no effect, as documented', async t => {
  const simulator = await startSimulator(t)
  const without = await summary(simulator, DAY_RANGE)
  const withRegion = await summary(simulator, { ...DAY_RANGE, Region: 'ap-southeast-1' })
  t.equal(withRegion.status, 200)
  t.same(dataOf(withRegion), dataOf(without))
})

t.test('nothing after now: a range running past now counts up to now; one not yet begun answers empty Data', async t => {
  const simulator = await startSimulator(t)
  const startOfHour = Date.parse('2026-11-20T10:00:00Z')
  t.same(await rangeOf(simulator, startOfHour, startOfHour + 2 * HOUR), await rangeOf(simulator, startOfHour, NOW))
  const current = await rangeOf(simulator, startOfHour, NOW)
  t.same(current, Object.fromEntries(IMS_SUMMARY_FIELDS.map(field => [field, Math.floor(imsHourAmount(field, startOfHour) / 2)])),
    'half of the current hour has happened: half of its usage, rounded down')
  const future = await summary(simulator, { StartTs: seconds(NOW + HOUR), EndTs: seconds(NOW + 2 * HOUR) })
  t.equal(future.status, 200)
  t.same(dataOf(future), [])
})

t.test('data are additive: any cut of a range adds up to the whole exactly', async t => {
  const simulator = await startSimulator(t)
  const from = Date.parse('2026-11-10T00:00:00Z')
  const whole = await rangeOf(simulator, from, from + 2 * DAY)
  const addParts = async (cuts: number[]) => {
    const sums = Object.fromEntries(IMS_SUMMARY_FIELDS.map(field => [field, 0])) as Record<ImsSummaryField, number>
    for (let index = 1; index < cuts.length; index++) {
      const part = await rangeOf(simulator, cuts[index - 1]!, cuts[index]!)
      for (const field of IMS_SUMMARY_FIELDS) sums[field] += part[field]
    }
    return sums
  }
  const utcHours = Array.from({ length: 49 }, (_, index) => from + index * HOUR)
  t.same(await addParts(utcHours), whole, '48 UTC hours add up to the two days')
  // Asia/Kolkata hours start at :30 UTC: the half hours at both ends are separate calls.
  const kolkataHours = [from, ...Array.from({ length: 48 }, (_, index) => from + 30 * MINUTE + index * HOUR), from + 2 * DAY]
  t.same(await addParts(kolkataHours), whole, 'half-past hours add up to the two days too')

  fc.assert(fc.property(
    fc.uniqueArray(fc.integer({ min: 1, max: 31 * 86_400 - 1 }), { maxLength: 12 }),
    fc.integer({ min: 0, max: 58 * 86_400 }),
    (offsets, startOffset) => {
      const start = NOW - 89 * DAY + startOffset * SECOND
      const cuts = [start, ...offsets.sort((left, right) => left - right).map(offset => start + offset * SECOND), start + 31 * DAY]
      const total = imsRangeTotals(start, start + 31 * DAY, NOW)
      for (const field of IMS_SUMMARY_FIELDS) {
        let sum = 0
        for (let index = 1; index < cuts.length; index++) sum += imsRangeTotals(cuts[index - 1]!, cuts[index]!, NOW)[field]
        if (sum !== total[field]) return false
      }
      return true
    }
  ), { seed: propertySeed(t), numRuns: 60 })
})

t.test('idle hours are real zeros and the truth adds every field in canonical units', async t => {
  const hours = Array.from({ length: 24 * 7 }, (_, index) => NOW - index * HOUR)
  t.ok(hours.some(hour => IMS_SUMMARY_FIELDS.every(field => imsHourAmount(field, hour) === 0)), 'some hours have no usage at all', { found: hours })
  t.equal(imsHourAmount('MpsTranscodeDuration', NOW), imsHourAmount('MpsTranscodeDuration', NOW - 30 * MINUTE), 'any instant in the hour names the hour')
  const range = { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-02T00:00:00Z') }
  const totals = imsRangeTotals(range.from, range.to, NOW)
  const expected = IMS_SUMMARY_FIELDS.reduce((sum, field) => sum + (field === 'LiveSnapshotCount' ? totals[field] : totals[field] * 60), 0)
  t.equal(imsTruth(range, NOW), expected)
})

t.test('the gateway rules hold: signature, timestamp, nonce, version, V1 signing', async t => {
  const simulator = await startSimulator(t)
  const wrongSecret = await summary(simulator, DAY_RANGE, { secret: 'not-the-secret' })
  t.equal(wrongSecret.status, 400)
  t.equal(valueAt(wrongSecret.json, 'Code'), 'SignatureDoesNotMatch')
  t.equal(valueAt((await summary(simulator, DAY_RANGE, { date: NOW - 16 * MINUTE })).json, 'Code'), 'InvalidTimeStamp.Expired')
  t.equal((await summary(simulator, DAY_RANGE, { nonce: 'nonce-once' })).status, 200)
  t.equal(valueAt((await summary(simulator, DAY_RANGE, { nonce: 'nonce-once' })).json, 'Code'), 'SignatureNonceUsed')
  t.equal(valueAt((await summary(simulator, DAY_RANGE, { version: '2016-11-01' })).json, 'Code'), 'InvalidVersion')
  const viaRpc = await callRpc({ url: simulator.url, action: ACTION, version: VERSION, parameters: { ...DAY_RANGE, Format: 'JSON' } })
  t.equal(viaRpc.status, 200)
  t.equal(dataOf(viaRpc).length, 1)
})

t.test('10 calls per second per key by default: the 11th and 12th at once are Throttling.User', async t => {
  const simulator = await startImsSimulator({ accounts: [ACCOUNT], clock: fixedClock(NOW), monotonicNow: () => 0 })
  t.teardown(() => simulator.close())
  const answers = await Promise.all(Array.from({ length: 12 }, () => summary(simulator, DAY_RANGE)))
  t.equal(answers.filter(answer => answer.status === 200).length, 10)
  t.equal(answers.filter(answer => valueAt(answer.json, 'Code') === 'Throttling.User').length, 2)
  t.equal(simulator.stats.throttled(ACTION), 2)
})

t.test('documented Meter errors, when injected, answer with their status and body', async t => {
  const simulator = await startSimulator(t)
  const codes: Array<[ImsMeterErrorCode, RegExp]> = [
    ['Meter.ReadyTsError', /^Get ReadyTs Failed,Please Try Again\.$/],
    ['Meter.ServerInternalError', /Unknown Error/],
    ['Meter.DataSourceQueryError', /^Data Source Error:.*,Please Try Again\.$/],
    ['Meter.AuthError', /^Authentication Failed/],
    ['Meter.ParamError', /^Param Error:/]
  ]
  for (const [code, message] of codes) {
    simulator.meterFaults.inject(code)
    assertMeterError(t, await summary(simulator, DAY_RANGE), code, message)
  }
  t.equal((await summary(simulator, DAY_RANGE)).status, 200, 'a fault is spent once by default')
  simulator.meterFaults.inject('Meter.ReadyTsError', Number.POSITIVE_INFINITY)
  t.equal((await summary(simulator, DAY_RANGE)).status, 502)
  t.equal((await summary(simulator, DAY_RANGE)).status, 502)
  simulator.meterFaults.clear()
  t.equal((await summary(simulator, DAY_RANGE)).status, 200, 'clear() stops them')
})
