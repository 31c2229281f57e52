import t from 'tap'
import { UpstreamError } from '../../../src/errors.js'
import type { UpstreamHttp } from '../../../src/http/upstream-http.js'
import { aliyunErrorFromResponse } from '../../../src/providers/aliyun/aliyun-error.js'
import { GRTN_DOCUMENTED_ERRORS, classifyGrtnError } from '../../../src/providers/aliyun-live-grtn/grtn-errors.js'
import { aliyunErrorBody } from '../../../src/simulators/index.js'
import { NOW, startDirect } from './grtn-fixtures.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const WINDOW = { from: Date.parse('2026-11-10T00:00:00Z'), to: Date.parse('2026-11-10T06:00:00Z') }

function errorResponse (status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return { status, headers, body: JSON.stringify(aliyunErrorBody({ product: 'live', requestId: 'REQ-ERR', code, message })) }
}

/** An UpstreamHttp that answers every call with one canned response. */
function cannedHttp (response: { status: number, headers: Record<string, string>, body: string }): UpstreamHttp {
  return { send: async () => response, close: async () => {} }
}

t.test('every documented Live error code is classified, keeping code, request id and status', async t => {
  for (const documented of GRTN_DOCUMENTED_ERRORS) {
    const error = classifyGrtnError(aliyunErrorFromResponse(errorResponse(documented.status, documented.code, documented.message))) as UpstreamError
    t.ok(error instanceof UpstreamError)
    t.equal(error.code, documented.expected, `${documented.code} (${documented.message}) → ${documented.expected}`)
    t.equal(error.providerCode, documented.code)
    t.equal(error.requestId, 'REQ-ERR')
    t.equal(error.httpStatus, documented.status)
    t.equal(error.retryable, documented.expected === 'UPSTREAM_THROTTLED', `${documented.code}: retried only when throttled`)
    t.match(error.message, documented.code)
  }
})

t.test('throttling with x-acs-retry-after keeps the hint; other errors pass through untouched', async t => {
  const throttled = classifyGrtnError(aliyunErrorFromResponse(errorResponse(503, 'Throttling', 'Request was denied due to request throttling.', { 'x-acs-retry-after': '2000' }))) as UpstreamError
  t.equal(throttled.code, 'UPSTREAM_THROTTLED')
  t.equal(throttled.retryAfterMs, 2000)
  const parameter = new UpstreamError('UPSTREAM_PARAMETER', 'x', { providerCode: 'InvalidTimeSpan' })
  t.equal(classifyGrtnError(parameter), parameter)
  const other = new Error('boom')
  t.equal(classifyGrtnError(other), other)
})

t.test('the adapter raises mapped errors: OperationDenied is an auth error, not a parameter one', async t => {
  const direct = await startDirect(t)
  const denied = errorResponse(403, 'OperationDenied', 'Your account does not open LIVE service yet.')
  await t.rejects(direct.fetch({ window: WINDOW }, { http: cannedHttp(denied) }), { code: 'UPSTREAM_AUTH', providerCode: 'OperationDenied', requestId: 'REQ-ERR', httpStatus: 403 })
  const span = errorResponse(400, 'InvalidTimeSpan', 'The time span exceeds the limit.')
  await t.rejects(direct.fetch({ window: WINDOW }, { http: cannedHttp(span) }), { code: 'UPSTREAM_PARAMETER', providerCode: 'InvalidTimeSpan' })
})

t.test('against the simulator: its refusals arrive typed, with the provider code and request id', async t => {
  const direct = await startDirect(t)
  await t.rejects(direct.fetch({ window: WINDOW, variant: { parameters: { regionId: 'cn-shanghai', area: 'Mars' }, dimensions: { area: 'Mars' } } }),
    { code: 'UPSTREAM_PARAMETER', providerCode: 'InvalidAreaParameter', requestId: /^[0-9A-F-]{36}$/ }, 'an unknown area filter value')
  const tooOld = { from: NOW - 91 * DAY - (NOW % HOUR), to: NOW - 90 * DAY - (NOW % HOUR) }
  await t.rejects(direct.fetch({ window: tooOld }), { code: 'UPSTREAM_PARAMETER', providerCode: 'InvalidTime.ValueNotSupported' }, 'past the lookback')
  const tooMany = Array.from({ length: 31 }, (_, index) => `app-${index}`)
  await t.rejects(direct.fetch({ window: WINDOW, variant: { parameters: { regionId: 'cn-shanghai', appIds: tooMany }, dimensions: {} } }),
    { code: 'UPSTREAM_PARAMETER', providerCode: 'InvalidAppIdParameter' }, 'more than 30 app ids (the adapter never sends this)')
  await t.rejects(direct.fetch({ window: WINDOW }, { secret: 'not-the-secret' }), { code: 'UPSTREAM_AUTH', providerCode: 'SignatureDoesNotMatch', requestId: /^[0-9A-F-]{36}$/ })
  direct.simulator.faults.inject({ kind: 'throttle', retryAfterMs: 1500 })
  await t.rejects(direct.fetch({ window: WINDOW }), { code: 'UPSTREAM_THROTTLED', providerCode: 'Throttling.User', retryAfterMs: 1500 })
  direct.simulator.faults.inject({ kind: 'wrong-types' })
  await t.rejects(direct.fetch({ window: WINDOW }), { code: 'UPSTREAM_MALFORMED', requestId: /^[0-9A-F-]{36}$/ })
})
