import t from 'tap'
import { z } from 'zod'
import { fixedClock } from '../../../src/clock.js'
import { startAliyunGateway, type AliyunActionHandler, type RunningSimulator } from '../../../src/simulators/index.js'
import { checkedBody } from '../../support/checked-body.js'
import { valueAt } from '../../support/value-at.js'
import { ACCOUNT, callAcs3, callRpc, NOW, OTHER_ACCOUNT, STS_ACCOUNT, type CallAnswer, type SignedCall, type TapTest } from './aliyun-test-client.js'

const VERSION = '2020-01-01'
const echo: AliyunActionHandler = context => ({ status: 200, body: { Parameters: context.parameters, AccessKeyId: context.accessKeyId, Now: context.now } })
const refuse: AliyunActionHandler = () => ({ status: 400, code: 'InvalidParameter.Thing', message: 'Specified Thing is not valid.' })

async function startEcho (t: TapTest, options: { monotonicNow?: () => number } = {}): Promise<RunningSimulator & { clock: ReturnType<typeof fixedClock> }> {
  const clock = fixedClock(NOW)
  const simulator = await startAliyunGateway({
    product: 'test',
    version: VERSION,
    accounts: [ACCOUNT, OTHER_ACCOUNT, STS_ACCOUNT],
    actions: { Echo: { handler: echo, qps: 5, hostile: body => body }, Refuse: { handler: refuse, qps: 5, hostile: body => body } },
    clock,
    monotonicNow: options.monotonicNow
  })
  t.teardown(() => simulator.close())
  return { ...simulator, clock }
}

const echoAnswerSchema = z.object({ RequestId: z.string(), Parameters: z.record(z.string(), z.unknown()), AccessKeyId: z.string(), Now: z.number() })

/** What the echo action answered, checked; fails with the answer when it is anything else. */
function echoOf (answer: CallAnswer): z.infer<typeof echoAnswerSchema> {
  return checkedBody(echoAnswerSchema, `Echo: ${answer.status} ${answer.text.slice(0, 1000)}`, answer.json)
}

function echoCall (url: string, extra: Partial<SignedCall> = {}): SignedCall {
  return { url, action: 'Echo', version: VERSION, parameters: { Format: 'JSON', Thing: 'a b*c~/é' }, ...extra }
}

function assertError (t: TapTest, answer: { status: number, json: unknown }, status: number, code: string): void {
  t.equal(answer.status, status, `status ${status} for ${code}`)
  t.hasStrict(answer.json, { Code: code })
  t.match(answer.json, { RequestId: /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/, HostId: 'test.aliyuncs.com', Message: String, Recommend: String })
}

t.test('V3 signed calls reach the action with the API parameters only', async t => {
  const simulator = await startEcho(t)
  const answer = await callAcs3(echoCall(simulator.url))
  t.equal(answer.status, 200)
  t.same(echoOf(answer).Parameters, { Thing: 'a b*c~/é' }, 'Format and signing parameters are not passed on')
  t.equal(echoOf(answer).AccessKeyId, ACCOUNT.accessKeyId)
  t.equal(echoOf(answer).Now, NOW, 'the action sees the gateway clock')
  t.equal(answer.headers['x-acs-request-id'], echoOf(answer).RequestId)

  const viaGet = await callAcs3(echoCall(simulator.url, { method: 'GET' }))
  t.equal(viaGet.status, 200)
  t.not(echoOf(viaGet).RequestId, echoOf(answer).RequestId, 'every answer has a fresh request id')

  const viaForm = await callAcs3(echoCall(simulator.url, { parameters: { Format: 'JSON' }, form: { Thing: 'from the body' } }))
  t.equal(viaForm.status, 200)
  t.same(echoOf(viaForm).Parameters, { Thing: 'from the body' })
})

t.test('V1 RPC signed calls are verified over query and form parameters with the real method', async t => {
  const simulator = await startEcho(t)
  for (const method of ['GET', 'POST'] as const) {
    const answer = await callRpc({ ...echoCall(simulator.url), method })
    t.equal(answer.status, 200, method)
    t.same(echoOf(answer).Parameters, { Thing: 'a b*c~/é' })
  }
  const inForm = await callRpc({ ...echoCall(simulator.url), inForm: true })
  t.equal(inForm.status, 200, 'parameters in a form body are signed and read too')

  assertError(t, await callRpc({ ...echoCall(simulator.url), sentParameters: { Thing: 'other' } }), 400, 'SignatureDoesNotMatch')
  assertError(t, await callRpc({ ...echoCall(simulator.url), secret: 'wrong' }), 400, 'SignatureDoesNotMatch')
  assertError(t, await callRpc({ ...echoCall(simulator.url), signatureMethod: 'HMAC-SHA256' }), 400, 'InvalidSignatureMethod')
  assertError(t, await callRpc({ ...echoCall(simulator.url), timestamp: '2026-11-20 10:30:00' }), 400, 'InvalidTimeStamp.Format')
  assertError(t, await callRpc({ ...echoCall(simulator.url), date: NOW - 16 * 60_000 }), 400, 'InvalidTimeStamp.Expired')
  assertError(t, await callRpc({ ...echoCall(simulator.url), account: { accessKeyId: 'nobody', accessKeySecret: 'x' } }), 404, 'InvalidAccessKeyId.NotFound')
  const nonce = 'rpc-nonce-1'
  t.equal((await callRpc({ ...echoCall(simulator.url), nonce })).status, 200)
  assertError(t, await callRpc({ ...echoCall(simulator.url), nonce }), 400, 'SignatureNonceUsed')
})

t.test('V3 signature failures', async t => {
  const simulator = await startEcho(t)
  assertError(t, await callAcs3(echoCall(simulator.url, { sentParameters: { Format: 'JSON', Thing: 'tampered' } })), 400, 'SignatureDoesNotMatch')
  assertError(t, await callAcs3(echoCall(simulator.url, { secret: 'not-the-secret' })), 400, 'SignatureDoesNotMatch')
  assertError(t, await callAcs3(echoCall(simulator.url, { account: { accessKeyId: 'LTAIunknown', accessKeySecret: 'x' } })), 404, 'InvalidAccessKeyId.NotFound')
  assertError(t, await callAcs3(echoCall(simulator.url, { editHeaders: headers => { delete headers.authorization } })), 400, 'IncompleteSignature')
  assertError(t, await callAcs3(echoCall(simulator.url, { editHeaders: headers => { headers['x-acs-action'] = 'Refuse' } })), 400, 'SignatureDoesNotMatch')
  const withBody = echoCall(simulator.url, { form: { Thing: 'signed' }, editHeaders: headers => { headers['x-acs-content-sha256'] = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } })
  assertError(t, await callAcs3(withBody), 400, 'SignatureDoesNotMatch')
})

t.test('timestamps must be well formed and within 15 minutes of the gateway clock', async t => {
  const simulator = await startEcho(t)
  assertError(t, await callAcs3(echoCall(simulator.url, { date: NOW - 16 * 60_000 })), 400, 'InvalidTimeStamp.Expired')
  assertError(t, await callAcs3(echoCall(simulator.url, { date: NOW + 16 * 60_000 })), 400, 'InvalidTimeStamp.Expired')
  t.equal((await callAcs3(echoCall(simulator.url, { date: NOW - 14 * 60_000 }))).status, 200, '14 minutes of skew is tolerated')
  assertError(t, await callAcs3(echoCall(simulator.url, { editHeaders: headers => { delete headers['x-acs-date'] } })), 400, 'InvalidTimeStamp.Format')
  assertError(t, await callAcs3(echoCall(simulator.url, { editHeaders: headers => { headers['x-acs-date'] = '2026-11-20T10:30:00.000Z' } })), 400, 'InvalidTimeStamp.Format')
})

t.test('a nonce cannot be used twice within the window', async t => {
  const simulator = await startEcho(t)
  t.equal((await callAcs3(echoCall(simulator.url, { nonce: 'fixed-nonce' }))).status, 200)
  assertError(t, await callAcs3(echoCall(simulator.url, { nonce: 'fixed-nonce' })), 400, 'SignatureNonceUsed')
  t.equal((await callAcs3(echoCall(simulator.url, { nonce: 'fixed-nonce', account: OTHER_ACCOUNT }))).status, 200, 'nonces are per key')
  simulator.clock.set(NOW + 16 * 60_000)
  t.equal((await callAcs3(echoCall(simulator.url, { nonce: 'fixed-nonce', date: NOW + 16 * 60_000 }))).status, 200, 'forgotten after 15 minutes')
})

t.test('an STS account requires its token', async t => {
  const simulator = await startEcho(t)
  t.equal((await callAcs3(echoCall(simulator.url, { account: STS_ACCOUNT }))).status, 200)
  t.equal((await callRpc({ ...echoCall(simulator.url), account: STS_ACCOUNT })).status, 200, 'SecurityToken parameter in V1')
  assertError(t, await callAcs3(echoCall(simulator.url, { account: STS_ACCOUNT, securityToken: null })), 400, 'MissingSecurityToken')
  assertError(t, await callAcs3(echoCall(simulator.url, { account: STS_ACCOUNT, securityToken: 'CAIS-other' })), 400, 'InvalidSecurityToken.Mismatch')
  assertError(t, await callRpc({ ...echoCall(simulator.url), account: STS_ACCOUNT, securityToken: null }), 400, 'MissingSecurityToken')
  assertError(t, await callAcs3(echoCall(simulator.url, { securityToken: 'CAIS-unexpected' })), 400, 'InvalidSecurityToken.Mismatch')
  t.notMatch(JSON.stringify(simulator.stats.calls), /CAIS|Signature/, 'tokens and signatures are never recorded')
})

t.test('version, action, method and handler errors', async t => {
  const simulator = await startEcho(t)
  assertError(t, await callAcs3(echoCall(simulator.url, { version: '2016-11-01' })), 400, 'InvalidVersion')
  assertError(t, await callAcs3(echoCall(simulator.url, { action: 'DescribeNothing' })), 404, 'InvalidAction.NotFound')
  assertError(t, await callAcs3(echoCall(simulator.url, { action: 'constructor' })), 404, 'InvalidAction.NotFound')
  const refused = await callAcs3(echoCall(simulator.url, { action: 'Refuse' }))
  assertError(t, refused, 400, 'InvalidParameter.Thing')
  t.equal(valueAt(refused.json, 'Message'), 'Specified Thing is not valid.')
  t.match(valueAt(refused.json, 'Recommend'), /q=InvalidParameter\.Thing&product=test&requestId=/)
})

t.test('QPS: at most 5 calls per key and action in any second; rejected calls use no budget', async t => {
  let monotonic = 10_000
  const simulator = await startEcho(t, { monotonicNow: () => monotonic })
  const burst = async (count: number, extra: Partial<SignedCall> = {}): Promise<number[]> =>
    (await Promise.all(Array.from({ length: count }, async () => await callAcs3(echoCall(simulator.url, extra))))).map(answer => answer.status)

  const statuses = await burst(12)
  t.equal(statuses.filter(status => status === 200).length, 5, 'exactly 5 accepted')
  const throttled = simulator.stats.calls.filter(call => call.code === 'Throttling.User')
  t.equal(throttled.length, 7, 'the rest are Throttling.User')
  t.same(throttled.filter(call => !(call.status === 400 && !call.admitted)), [])
  t.equal(simulator.stats.maxCallsPerSecond('Echo'), 5)
  t.equal(simulator.stats.throttled('Echo'), 7)
  t.equal(simulator.stats.count('Echo'), 12)

  const throttledAnswer = await callAcs3(echoCall(simulator.url))
  assertError(t, throttledAnswer, 400, 'Throttling.User')
  t.equal(valueAt(throttledAnswer.json, 'Message'), 'Request was denied due to user flow control.')
  t.equal((await burst(1, { account: OTHER_ACCOUNT }))[0], 200, 'another key has its own budget')
  t.equal((await burst(1, { action: 'Refuse' }))[0], 400, 'another action has its own budget (and answers its own error)')
  t.equal(simulator.stats.calls.at(-1)?.code, 'InvalidParameter.Thing')

  monotonic += 999
  t.equal((await burst(1))[0], 400, 'still inside the window 999 ms later')
  t.equal((await burst(1, { parameters: { Format: 'JSON', RegionId: 'cn-beijing' } }))[0], 400, 'other parameters (another region) are the same API: no budget of their own')
  t.equal(simulator.stats.calls.at(-1)?.code, 'Throttling.User')
  monotonic += 1
  t.same((await burst(6)).filter(status => status === 200).length, 5, 'a full budget once the accepted calls left the window')
  // Per action, over all keys: ACCOUNT's 5 plus OTHER_ACCOUNT's 1 in the first second.
  t.equal(simulator.stats.maxCallsPerSecond('Echo'), 6, 'never more than 5 per key in any second')
  simulator.stats.reset()
  t.equal(simulator.stats.count(), 0)
})

t.test('stats record every call with its outcome', async t => {
  const simulator = await startEcho(t)
  await callAcs3(echoCall(simulator.url))
  await callAcs3(echoCall(simulator.url, { secret: 'wrong' }))
  t.match(simulator.stats.calls, [
    { action: 'Echo', accessKeyId: ACCOUNT.accessKeyId, parameters: { Thing: 'a b*c~/é' }, at: NOW, status: 200, code: null, admitted: true, fault: null },
    { action: 'Echo', accessKeyId: ACCOUNT.accessKeyId, status: 400, code: 'SignatureDoesNotMatch', admitted: false }
  ])
})

t.test('close() ends promptly with idle keep-alive connections open', async t => {
  const simulator = await startEcho(t)
  t.equal((await callAcs3(echoCall(simulator.url))).status, 200)
  await simulator.close()
  await simulator.close()
  t.pass('closed twice without error')
})
