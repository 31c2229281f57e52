import { connect } from 'node:net'
import { Agent as HttpAgent } from 'node:http'
import t from 'tap'
import { CommonClient } from 'tencentcloud-sdk-nodejs-common'
import { fixedClock, systemClock, type Clock } from '../../../src/clock.js'
import type { RunningSimulator } from '../../../src/simulators/shared/simulator-server.js'
import { startTencentGateway, type TencentActionHandler } from '../../../src/simulators/tencent/tencent-gateway.js'
import {
  NOW, OTHER_TENCENT_ACCOUNT, SESSION_ACCOUNT, TENCENT_ACCOUNT, callTencent, responseOf, type TencentAnswer, type TencentCall
} from '../../providers/tencent-mps/tencent-test-client.js'
import { valueAt } from '../../support/value-at.js'

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

const echo: TencentActionHandler = context => ({ body: { Payload: context.payload, SecretId: context.secretId, Now: context.now } })
const refuse: TencentActionHandler = () => ({ code: 'InvalidParameterValue', message: 'Thing is not valid.' })
const crash: TencentActionHandler = () => { throw new Error('handler bug') }

async function startEcho (t: TapTest, options: { monotonicNow?: () => number, clock?: Clock } = {}): Promise<RunningSimulator> {
  const simulator = await startTencentGateway({
    service: 'mps',
    version: '2019-06-12',
    accounts: [TENCENT_ACCOUNT, OTHER_TENCENT_ACCOUNT, SESSION_ACCOUNT],
    actions: { Echo: { handler: echo, qps: 5, hostile: body => body }, Refuse: { handler: refuse, qps: 5, hostile: body => body }, Crash: { handler: crash, qps: 5, hostile: body => body } },
    clock: options.clock ?? fixedClock(NOW),
    monotonicNow: options.monotonicNow
  })
  t.teardown(() => simulator.close())
  return simulator
}

const echoCall = (url: string, extra: Partial<TencentCall> = {}): TencentCall => ({ url, action: 'Echo', payload: { Thing: 'a b 未命名', List: ['x'] }, ...extra })

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function assertError (t: TapTest, answer: TencentAnswer, code: string, status = 200): void {
  t.equal(answer.status, status, `HTTP ${status} for ${code}`)
  t.equal(valueAt(answer.json, 'Response', 'Error', 'Code'), code)
  t.match(answer.json, { Response: { Error: { Message: String }, RequestId: UUID } })
  t.equal(responseOf(answer).Data, undefined, 'an error carries no data')
}

t.test('a signed call reaches the action with its JSON body, the SecretId and the gateway clock', async t => {
  const simulator = await startEcho(t)
  const answer = await callTencent(echoCall(simulator.url))
  t.equal(answer.status, 200)
  t.same(responseOf(answer).Payload, { Thing: 'a b 未命名', List: ['x'] })
  t.equal(responseOf(answer).SecretId, TENCENT_ACCOUNT.accessKeyId)
  t.equal(responseOf(answer).Now, NOW)
  t.match(responseOf(answer).RequestId, UUID)
  t.same(simulator.stats.calls.map(call => [call.action, call.accessKeyId, call.parameters, call.status, call.admitted]),
    [['Echo', TENCENT_ACCOUNT.accessKeyId, { Thing: 'a b 未命名', List: 'x' }, 200, true]])
})

t.test('authentication failures are HTTP 200 with the documented AuthFailure codes', async t => {
  const simulator = await startEcho(t)
  const seconds = Math.floor(NOW / 1000)
  assertError(t, await callTencent(echoCall(simulator.url, { account: { accessKeyId: 'AKIDunknown', accessKeySecret: 'x' } })), 'AuthFailure.SecretIdNotFound')
  assertError(t, await callTencent(echoCall(simulator.url, { secret: 'not-the-secret' })), 'AuthFailure.SignatureFailure')
  assertError(t, await callTencent(echoCall(simulator.url, { sentBody: JSON.stringify({ Thing: 'tampered' }) })), 'AuthFailure.SignatureFailure')
  assertError(t, await callTencent(echoCall(simulator.url, { service: 'cvm' })), 'AuthFailure.SignatureFailure')
  assertError(t, await callTencent(echoCall(simulator.url, { editHeaders: headers => { headers['content-type'] = 'application/json' } })), 'AuthFailure.SignatureFailure')
  assertError(t, await callTencent(echoCall(simulator.url, { editHeaders: headers => { headers.authorization = 'Bearer nope' } })), 'AuthFailure.InvalidAuthorization')

  t.equal((await callTencent(echoCall(simulator.url, { timestamp: seconds - 300 }))).status, 200)
  t.equal(responseOf(await callTencent(echoCall(simulator.url, { timestamp: seconds + 300 }))).Error, undefined, 'exactly 5 minutes off is accepted')
  assertError(t, await callTencent(echoCall(simulator.url, { timestamp: seconds - 301 })), 'AuthFailure.SignatureExpire')
  assertError(t, await callTencent(echoCall(simulator.url, { timestamp: seconds + 301 })), 'AuthFailure.SignatureExpire')
  t.same(simulator.stats.calls.filter(call => call.code !== null).filter(call => call.admitted), [], 'refused calls use no QPS budget')
})

t.test('session tokens: required for temporary credentials, refused with long-term ones', async t => {
  const simulator = await startEcho(t)
  t.equal(responseOf(await callTencent(echoCall(simulator.url, { account: SESSION_ACCOUNT }))).SecretId, SESSION_ACCOUNT.accessKeyId)
  assertError(t, await callTencent(echoCall(simulator.url, { account: SESSION_ACCOUNT, token: null })), 'AuthFailure.TokenFailure')
  assertError(t, await callTencent(echoCall(simulator.url, { account: SESSION_ACCOUNT, token: 'other-token' })), 'AuthFailure.TokenFailure')
  assertError(t, await callTencent(echoCall(simulator.url, { token: 'stray-token' })), 'AuthFailure.TokenFailure')
})

t.test('common parameters: action, version, method, body', async t => {
  const simulator = await startEcho(t)
  assertError(t, await callTencent(echoCall(simulator.url, { editHeaders: headers => { delete headers['x-tc-action'] } })), 'MissingParameter')
  assertError(t, await callTencent(echoCall(simulator.url, { editHeaders: headers => { delete headers['x-tc-version'] } })), 'MissingParameter')
  assertError(t, await callTencent(echoCall(simulator.url, { editHeaders: headers => { delete headers['x-tc-timestamp'] } })), 'MissingParameter')
  assertError(t, await callTencent(echoCall(simulator.url, { version: '2018-01-01' })), 'NoSuchVersion')
  assertError(t, await callTencent(echoCall(simulator.url, { action: 'DescribeNothing' })), 'InvalidAction')
  assertError(t, await callTencent(echoCall(simulator.url, { method: 'PUT' })), 'UnsupportedProtocol')
  assertError(t, await callTencent(echoCall(simulator.url, { rawBody: '[1, 2]' })), 'InvalidParameter')
  assertError(t, await callTencent(echoCall(simulator.url, { action: 'Refuse' })), 'InvalidParameterValue')
  assertError(t, await callTencent(echoCall(simulator.url, { action: 'Crash' })), 'InternalError')
})

t.test('QPS per SecretId and action: RequestLimitExceeded in a 200, refused calls use no budget', async t => {
  let frozen = 1_000
  const simulator = await startEcho(t, { monotonicNow: () => frozen })
  const answers = await Promise.all(Array.from({ length: 8 }, () => callTencent(echoCall(simulator.url))))
  t.equal(answers.filter(answer => responseOf(answer).Error === undefined).length, 5)
  for (const answer of answers.filter(answer => responseOf(answer).Error !== undefined)) assertError(t, answer, 'RequestLimitExceeded')
  t.equal(simulator.stats.throttled('Echo'), 3)
  t.equal(responseOf(await callTencent(echoCall(simulator.url, { account: OTHER_TENCENT_ACCOUNT }))).Error, undefined, 'another SecretId has its own budget')
  t.equal(valueAt(responseOf(await callTencent(echoCall(simulator.url, { action: 'Refuse' }))), 'Error', 'Code'), 'InvalidParameterValue', 'another action has its own budget')
  frozen += 1_000
  t.equal(responseOf(await callTencent(echoCall(simulator.url))).Error, undefined, 'the window slides')
})

t.test('faults: throttle, server errors (200 or real 5xx), auth, malformed, truncated, wrong types, reset, hang, slow', async t => {
  const simulator = await startEcho(t)
  const call = (): Promise<TencentAnswer> => callTencent(echoCall(simulator.url, { payload: { Count: 7, Digits: '12' } }))
  simulator.faults.inject({ kind: 'throttle', retryAfterMs: 500 })
  assertError(t, await call(), 'RequestLimitExceeded')
  simulator.faults.inject({ kind: 'server-error' })
  assertError(t, await call(), 'InternalError')
  simulator.faults.inject({ kind: 'server-error', status: 503 })
  assertError(t, await call(), 'ServiceUnavailable', 503)
  simulator.faults.inject({ kind: 'server-error', status: 500 })
  assertError(t, await call(), 'InternalError', 500)
  simulator.faults.inject({ kind: 'auth' })
  assertError(t, await call(), 'AuthFailure.SignatureFailure')

  simulator.faults.inject({ kind: 'malformed' })
  const malformed = await call()
  t.equal(malformed.status, 200)
  t.equal(malformed.json, undefined, 'not JSON')
  simulator.faults.inject({ kind: 'truncated' })
  const truncated = await call()
  t.equal(truncated.json, undefined)
  t.match(truncated.text, /^\{"Response":\{/)
  simulator.faults.inject({ kind: 'wrong-types' })
  const wrong = await call()
  t.type(responseOf(wrong).Payload, 'object', 'the payload is still there, its values the wrong type')
  t.not(valueAt(responseOf(wrong), 'Payload', 'Count'), 7)
  t.not(valueAt(responseOf(wrong), 'Payload', 'Digits'), '12')

  simulator.faults.inject({ kind: 'reset' })
  await t.rejects(call(), 'reset: the socket is destroyed')
  simulator.faults.inject({ kind: 'slow', delayMs: 20 })
  t.equal((await call()).status, 200, 'slow answers normally')
  simulator.faults.inject({ kind: 'hang' })
  const hung = call()
  while (simulator.stats.count() < 11) await new Promise(resolve => setImmediate(resolve))
  await simulator.close()
  await t.rejects(hung, 'a hung call ends when the server closes')
  t.same(simulator.stats.calls.map(entry => entry.fault), ['throttle', 'server-error', 'server-error', 'server-error', 'auth', 'malformed', 'truncated', 'wrong-types', 'reset', 'slow', 'hang'])
  t.equal(simulator.stats.throttled(), 1)
})

t.test('the official Tencent Cloud Node SDK is accepted (and its wrong secret refused)', async t => {
  // The SDK signs with the real clock, so this gateway uses it too.
  const simulator = await startEcho(t, { clock: systemClock })
  const port = Number(new URL(simulator.url).port)
  // The SDK talks to mps.tencentcloudapi.com (so it signs service 'mps' and that host); the socket goes to loopback.
  const agent = new HttpAgent()
  ;(agent as unknown as { createConnection: () => ReturnType<typeof connect> }).createConnection = () => connect(port, '127.0.0.1')
  t.teardown(() => agent.destroy())
  const client = (secretKey: string): CommonClient => new CommonClient('mps.tencentcloudapi.com', '2019-06-12', {
    credential: { secretId: TENCENT_ACCOUNT.accessKeyId, secretKey },
    region: '',
    profile: { httpProfile: { protocol: 'http://', agent } as never }
  })
  const answer = await client(TENCENT_ACCOUNT.accessKeySecret).request('Echo', { Thing: 'from the SDK', Limit: 1 })
  t.same(answer.Payload, { Thing: 'from the SDK', Limit: 1 })
  await t.rejects(client('wrong-secret').request('Echo', { Thing: 'x' }), { code: 'AuthFailure.SignatureFailure' })
})
