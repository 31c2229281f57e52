import t from 'tap'
import { UpstreamError } from '../../src/errors.js'
import type { FetchResult } from '../../src/usage/source-adapter.js'
import { decodeCached, decodeOutcome, encodeCached, encodeOutcome } from '../../src/replicas/fetch-result-codec.js'

const result: FetchResult = {
  records: [
    { metric: 'm', start: -1, end: 2 ** 40, value: Number.MAX_SAFE_INTEGER, dimensions: { 'a b': 'é\u0000"' } },
    { metric: 'm', start: 0, end: 1, value: 0, dimensions: {} }
  ],
  requestId: 'r-1'
}

t.test('answers round-trip exactly, up to 2^53 - 1', async t => {
  t.strictSame(decodeOutcome(encodeOutcome({ ok: true, result })), { ok: true, result })
  t.strictSame(decodeCached(encodeCached(result, 1_764_806_400_123)), { storedAt: 1_764_806_400_123, result })
})

t.test('values that cannot round-trip exactly are refused on the way in and out', async t => {
  for (const value of [2 ** 53, 1.5, Number.NaN, -(2 ** 53)]) {
    const unsafe = { records: [{ ...result.records[0]!, value }], requestId: null }
    t.throws(() => encodeCached(unsafe, 0), RangeError, `${value} is not stored`)
    t.equal(decodeCached(JSON.stringify({ storedAt: 0, result: unsafe })), undefined, `${value} is not read back`)
  }
  t.equal(decodeOutcome('{"ok":true,"result":{"records":[],"requestId":null,"extra":1}}'), undefined, 'unknown fields are not ignored')
  t.equal(decodeOutcome('not json'), undefined)
  t.equal(decodeCached('{"storedAt":0}'), undefined)
})

t.test('provider failures round-trip with code, message, provider code, request id and retryable flag', async t => {
  const failures = [
    new UpstreamError('UPSTREAM_THROTTLED', 'slow down', { providerCode: 'Throttling', requestId: 'q', httpStatus: 429, retryAfterMs: 1500 }),
    new UpstreamError('UPSTREAM_AUTH', 'bad signature', { providerCode: 'SignatureDoesNotMatch', requestId: null, httpStatus: 403 }),
    new UpstreamError('UPSTREAM_NETWORK', 'connection reset')
  ]
  for (const failure of failures) {
    const decoded = decodeOutcome(encodeOutcome({ ok: false, error: failure }))
    t.equal(decoded?.ok, false)
    const error = (decoded as { error: UpstreamError }).error
    t.ok(error instanceof UpstreamError)
    for (const field of ['code', 'message', 'providerCode', 'requestId', 'httpStatus', 'retryAfterMs', 'retryable'] as const) {
      t.equal(error[field], failure[field], `${failure.code} ${field}`)
    }
  }
  const flagged = JSON.parse(encodeOutcome({ ok: false, error: failures[1]! }))
  flagged.error.retryable = true
  t.equal((decodeOutcome(JSON.stringify(flagged)) as { error: UpstreamError }).error.retryable, true, 'the flag travels as the leader saw it')
  t.equal(decodeOutcome('{"ok":false,"error":{"code":"INTERNAL","message":"x","providerCode":null,"requestId":null,"httpStatus":null,"retryAfterMs":null,"retryable":false}}'), undefined, 'only provider failures are shared')
})
