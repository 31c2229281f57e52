import t from 'tap'
import { aliyunErrorFromResponse } from '../../../src/providers/aliyun/aliyun-error.js'

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  aliyunErrorFromResponse({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) })

t.test('codes classify before statuses, and carry the provider code and request id', async t => {
  const cases: Array<[number, string, string]> = [
    [400, 'Throttling.User', 'UPSTREAM_THROTTLED'],
    [503, 'Throttling', 'UPSTREAM_THROTTLED'],
    [400, 'SignatureDoesNotMatch', 'UPSTREAM_AUTH'],
    [404, 'InvalidAccessKeyId.NotFound', 'UPSTREAM_AUTH'],
    [400, 'InvalidTimeStamp.Expired', 'UPSTREAM_AUTH'],
    [403, 'Forbidden.RAM', 'UPSTREAM_AUTH'],
    [400, 'InvalidTimeSpan', 'UPSTREAM_PARAMETER'],
    [400, 'InvalidStartTime.Malformed', 'UPSTREAM_PARAMETER'],
    [500, 'InternalError', 'UPSTREAM_SERVER'],
    [503, 'ServiceUnavailable', 'UPSTREAM_SERVER'],
    [400, 'Meter.ParamError', 'UPSTREAM_PARAMETER'],
    [403, 'Meter.AuthError', 'UPSTREAM_AUTH'],
    [502, 'Meter.ReadyTsError', 'UPSTREAM_SERVER']
  ]
  for (const [status, code, expected] of cases) {
    const error = answer(status, { RequestId: 'R-1', HostId: 'live.aliyuncs.com', Code: code, Message: 'msg' })
    t.equal(error.code, expected, code)
    t.equal(error.providerCode, code)
    t.equal(error.requestId, 'R-1')
    t.equal(error.httpStatus, status)
  }
})

t.test('x-acs-retry-after makes it throttling with the delay; bodies without a code fall back to the status', async t => {
  const throttled = answer(400, { Code: 'Whatever' }, { 'x-acs-retry-after': '2000' })
  t.equal(throttled.code, 'UPSTREAM_THROTTLED')
  t.equal(throttled.retryAfterMs, 2000)
  t.equal(answer(502, '<html>bad gateway</html>').code, 'UPSTREAM_SERVER')
  t.equal(answer(429, '').code, 'UPSTREAM_THROTTLED')
  t.equal(answer(400, 'nope').code, 'UPSTREAM_PARAMETER')
})

t.test('an error body cut at the read limit still gives its code, request id and the start of its message', async t => {
  const whole = JSON.stringify({ RequestId: 'R-9', HostId: 'live.aliyuncs.com', Code: 'InternalError', Message: 'a "quoted" \\ line\u00e9 ' + 'x'.repeat(100) })
  for (const cut of [whole.indexOf('\\"quoted') + 1, whole.indexOf('\\\\') + 1, whole.length - 20]) {
    const error = answer(500, whole.slice(0, cut))
    t.equal(error.providerCode, 'InternalError', `cut at ${cut}`)
    t.equal(error.requestId, 'R-9')
    t.equal(error.code, 'UPSTREAM_SERVER')
    t.ok(error.message.startsWith('InternalError: a '), error.message.slice(0, 40))
  }
  const withUnicodeCut = answer(500, '{"Code":"InternalError","Message":"caf\\u00')
  t.equal(withUnicodeCut.message, 'InternalError: caf', 'an escape cut in the middle is dropped')
  t.equal(answer(500, '<html>cut', { 'x-acs-request-id': 'H-1' }).requestId, 'H-1', 'the request id header when the body names none')
  t.equal(answer(500, '<html>cut').providerCode, null, 'a body that is no JSON object names no code')
})
