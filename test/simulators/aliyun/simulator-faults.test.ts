import t from 'tap'
import { Agent } from 'undici'
import { z } from 'zod'
import { fixedClock } from '../../../src/clock.js'
import { startLiveProducerSimulator, type RunningSimulator } from '../../../src/simulators/index.js'
import { valueAt } from '../../support/value-at.js'
import { ACCOUNT, callAcs3, NOW, type CallAnswer, type TapTest } from './aliyun-test-client.js'
import { producerUsageOf } from './producer-usage-answer.js'

/** Rows of any value: the faults below make some of them unusable on purpose. */
const usageOf = (answer: CallAnswer) => producerUsageOf(answer, z.record(z.string(), z.unknown()))

async function startSimulator (t: TapTest): Promise<RunningSimulator> {
  const simulator = await startLiveProducerSimulator({ accounts: [ACCOUNT], clock: fixedClock(NOW), qps: 1000 })
  t.teardown(() => simulator.close())
  return simulator
}

async function usage (simulator: RunningSimulator, extra: { dispatcher?: Agent } = {}): Promise<CallAnswer> {
  return await callAcs3({
    url: simulator.url,
    action: 'DescribeLiveProducerUsageData',
    version: '2016-11-01',
    parameters: { StartTime: '2026-11-19T00:00:00Z', EndTime: '2026-11-19T05:59:59Z', SplitBy: 'type', Format: 'JSON' },
    ...extra
  })
}

t.test('throttle: Throttling.User, with x-acs-retry-after when asked, once by default', async t => {
  const simulator = await startSimulator(t)
  simulator.faults.inject({ kind: 'throttle', retryAfterMs: 2000 })
  simulator.faults.inject({ kind: 'throttle' })
  const first = await usage(simulator)
  t.equal(first.status, 400)
  t.match(first.json, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', HostId: 'live.aliyuncs.com' })
  t.equal(first.headers['x-acs-retry-after'], '2000')
  const second = await usage(simulator)
  t.equal(valueAt(second.json, 'Code'), 'Throttling.User')
  t.equal(second.headers['x-acs-retry-after'], undefined)
  t.equal((await usage(simulator)).status, 200, 'faults are spent')
  t.equal(simulator.stats.throttled(), 2)
  t.match(simulator.stats.calls.map(call => call.fault), ['throttle', 'throttle', null])
})

t.test('server-error: 500 InternalError or 503 ServiceUnavailable, repeated as asked', async t => {
  const simulator = await startSimulator(t)
  simulator.faults.inject({ kind: 'server-error' }, 2)
  simulator.faults.inject({ kind: 'server-error', status: 503 })
  for (const [status, code] of [[500, 'InternalError'], [500, 'InternalError'], [503, 'ServiceUnavailable']] as const) {
    const answer = await usage(simulator)
    t.equal(answer.status, status)
    t.match(answer.json, { Code: code, RequestId: String, HostId: 'live.aliyuncs.com' })
  }
  t.equal((await usage(simulator)).status, 200)
})

t.test('Infinity repeats a fault until cleared', async t => {
  const simulator = await startSimulator(t)
  simulator.faults.inject({ kind: 'auth' }, Infinity)
  for (let call = 0; call < 3; call += 1) {
    const answer = await usage(simulator)
    t.equal(answer.status, 400)
    t.match(answer.json, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' })
  }
  simulator.faults.clear()
  t.equal((await usage(simulator)).status, 200)
})

t.test('slow: the normal answer, later', async t => {
  const simulator = await startSimulator(t)
  const normal = await usage(simulator)
  simulator.faults.inject({ kind: 'slow', delayMs: 50 })
  const slow = await usage(simulator)
  t.equal(slow.status, 200)
  t.same(usageOf(slow).BillProducerData, usageOf(normal).BillProducerData)
})

t.test('hang: no answer until the client gives up; close() still ends promptly', async t => {
  const simulator = await startSimulator(t)
  const impatient = new Agent({ headersTimeout: 100 })
  t.teardown(() => impatient.close())
  simulator.faults.inject({ kind: 'hang' }, 2)
  await t.rejects(usage(simulator, { dispatcher: impatient }), { code: 'UND_ERR_HEADERS_TIMEOUT' })

  const patient = new Agent({ headersTimeout: 0 })
  t.teardown(() => patient.close())
  const hanging = usage(simulator, { dispatcher: patient })
  while (simulator.stats.count() < 2) await new Promise(resolve => setImmediate(resolve))
  await simulator.close()
  await t.rejects(hanging, { code: 'UND_ERR_SOCKET' }, 'closing the simulator drops the hung call')
  t.match(simulator.stats.calls, [{ status: 0, fault: 'hang' }, { status: 0, fault: 'hang' }])
})

t.test('reset: the socket is destroyed without an answer', async t => {
  const simulator = await startSimulator(t)
  simulator.faults.inject({ kind: 'reset' })
  await t.rejects(usage(simulator), { code: 'UND_ERR_SOCKET' })
  t.equal((await usage(simulator)).status, 200, 'the next call is answered')
})

t.test('malformed: 200 with a body that is not JSON', async t => {
  const simulator = await startSimulator(t)
  simulator.faults.inject({ kind: 'malformed' })
  const answer = await usage(simulator)
  t.equal(answer.status, 200)
  t.equal(answer.json, undefined)
  t.throws(() => JSON.parse(answer.text))
})

t.test('truncated: 200 with the first half of the real body', async t => {
  const simulator = await startSimulator(t)
  const normal = await usage(simulator)
  simulator.faults.inject({ kind: 'truncated' })
  const answer = await usage(simulator)
  t.equal(answer.status, 200)
  t.equal(answer.json, undefined)
  t.equal(answer.text.length, Math.floor(normal.text.length / 2), 'request ids have the same length, so the halves do too')
  t.ok(normal.text.replace(usageOf(normal).RequestId, answer.headers['x-acs-request-id'] as string).startsWith(answer.text))
})

t.test('wrong-types: the real structure with unusable numbers', async t => {
  const simulator = await startSimulator(t)
  const normal = await usage(simulator)
  simulator.faults.inject({ kind: 'wrong-types' })
  const answer = await usage(simulator)
  t.equal(answer.status, 200)
  const rows = usageOf(answer).BillProducerData.BillProducerDataItem
  t.equal(rows.length, usageOf(normal).BillProducerData.BillProducerDataItem.length)
  t.same(rows.map(row => [row.TimeStamp, row.Type]), usageOf(normal).BillProducerData.BillProducerDataItem.map(row => [row.TimeStamp, row.Type]))
  const values = rows.flatMap(row => Object.entries(row).filter(([key]) => key.endsWith('Duration')).map(([, value]) => value))
  t.same(values.filter(value => Number.isInteger(value) && (value as number) >= 0), [], 'no duration is a non-negative integer')
  t.ok(values.some(value => typeof value === 'number' && value < 0), 'negatives', { found: values })
  t.ok(values.some(value => typeof value === 'number' && !Number.isInteger(value)), 'fractions', { found: values })
  t.ok(values.some(value => typeof value === 'object'), 'objects', { found: values })
})

t.test('a body-altering fault meeting an error answer is spent without effect', async t => {
  const simulator = await startSimulator(t)
  simulator.faults.inject({ kind: 'truncated' })
  const answer = await callAcs3({ url: simulator.url, action: 'DescribeLiveProducerUsageData', version: '2016-11-01', parameters: { Format: 'JSON' } })
  t.match(answer.json, { Code: 'InvalidStartTime.Malformed' })
  t.equal(usageOf(await usage(simulator)).BillProducerData.BillProducerDataItem.length, 12)
})

t.test('latency option still answers normally', async t => {
  const simulator = await startLiveProducerSimulator({ accounts: [ACCOUNT], clock: fixedClock(NOW), latencyMs: { min: 1, max: 5 } })
  t.teardown(() => simulator.close())
  t.equal((await usage(simulator)).status, 200)
})
