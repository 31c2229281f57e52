import t from 'tap'
import { createHash } from 'node:crypto'
import { parseTc3Authorization, signTc3, verifyTc3Request } from '../../src/signing/index.js'

// Exact bytes of the official CVM DescribeInstances payload: literal backslash-u escapes, spaces after ':' and ','.
// JSON.stringify would produce different bytes (no spaces, raw 未命名) and so a different hash.
const payload = String.raw`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
const common = { service: 'cvm', host: 'cvm.tencentcloudapi.com', timestamp: 1551113065, payload, contentType: 'application/json; charset=utf-8' }

t.test('payload bytes of the official vector', async t => {
  t.match(payload, '\\u672a', 'six literal characters, not the decoded 未')
  t.equal(Buffer.byteLength(payload), payload.length, 'pure ASCII')
  t.not(payload, JSON.stringify(JSON.parse(payload)), 're-serialising changes the bytes')
  t.equal(createHash('sha256').update(payload).digest('hex'), '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064')
})

t.test('row 1: original example keys', async t => {
  const result = signTc3({ ...common, secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' })
  t.equal(result.signedHeaders, 'content-type;host')
  t.equal(createHash('sha256').update(result.canonicalRequest).digest('hex'), '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031')
  t.equal(result.signature, '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168')
})

t.test('row 2: masked keys, full intermediate values', async t => {
  const result = signTc3({ ...common, secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******' })
  t.equal(result.canonicalRequest, [
    'POST',
    '/',
    '',
    'content-type:application/json; charset=utf-8',
    'host:cvm.tencentcloudapi.com',
    '',
    'content-type;host',
    '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064'
  ].join('\n'))
  t.equal(result.credentialScope, '2019-02-25/cvm/tc3_request')
  t.equal(result.stringToSign, 'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031')
  t.equal(result.signature, '2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c')
  t.equal(result.authorization,
    'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, ' +
    'SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c')
})

t.test('row 3: newest doc, signs x-tc-action', async t => {
  const result = signTc3({ ...common, secretId: `AKID${'*'.repeat(32)}`, secretKey: '*'.repeat(32), action: 'DescribeInstances' })
  t.equal(result.signedHeaders, 'content-type;host;x-tc-action')
  t.match(result.canonicalRequest, /\nx-tc-action:describeinstances\n/)
  t.equal(createHash('sha256').update(result.canonicalRequest).digest('hex'), '7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84')
  t.equal(result.signature, '10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f')
})

t.test('credential date is the UTC day of the timestamp', async t => {
  // 2019-02-25T23:59:59Z is already the 26th in Beijing; the scope must still say the 25th.
  t.equal(signTc3({ ...common, secretId: 'id', secretKey: 'key', timestamp: 1551139199 }).credentialScope, '2019-02-25/cvm/tc3_request')
  t.equal(signTc3({ ...common, secretId: 'id', secretKey: 'key', timestamp: 1551139200 }).credentialScope, '2019-02-26/cvm/tc3_request')
})

t.test('parseTc3Authorization', async t => {
  const signature = '2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c'
  t.strictSame(parseTc3Authorization(`TC3-HMAC-SHA256 Credential=AKID*/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`),
    { secretId: 'AKID*', date: '2019-02-25', service: 'cvm', signedHeaders: ['content-type', 'host'], signature })
  t.equal(parseTc3Authorization(''), null)
  t.equal(parseTc3Authorization(`TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/other, SignedHeaders=host, Signature=${signature}`), null)
  t.equal(parseTc3Authorization(`TC3-HMAC-SHA256 Credential=AKID/2019-2-25/cvm/tc3_request, SignedHeaders=host, Signature=${signature}`), null)
  t.equal(parseTc3Authorization('TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=zz'), null)
})

const secrets: Record<string, string> = { 'test-id': 'test-key' }
const lookupSecret = (secretId: string): string | undefined => secrets[secretId]
const timestamp = 1704164645 // 2024-01-02T03:04:05Z

function buildRequest (overrides: { secretId?: string, secretKey?: string, action?: string } = {}) {
  const body = JSON.stringify({ StartTime: '2024-01-01T00:00:00+08:00', EndTime: '2024-01-02T00:00:00+08:00', Types: ['Transcode'] })
  // The server listens on a port, but the SDK signs the bare hostname; 127.0.0.1 yields service '127'.
  const { authorization } = signTc3({
    secretId: overrides.secretId ?? 'test-id',
    secretKey: overrides.secretKey ?? 'test-key',
    service: '127',
    host: '127.0.0.1',
    timestamp,
    payload: body,
    contentType: 'application/json; charset=utf-8',
    ...(overrides.action === undefined ? {} : { action: overrides.action })
  })
  const headers: Record<string, string | string[] | undefined> = {
    host: '127.0.0.1:43210',
    'content-type': 'application/json; charset=utf-8',
    authorization,
    'x-tc-action': 'DescribeUsageData',
    'x-tc-version': '2019-06-12',
    'x-tc-timestamp': String(timestamp)
  }
  return { method: 'POST', headers, body }
}

t.test('verifyTc3Request accepts a signed request to a host with a port', async t => {
  t.strictSame(verifyTc3Request(buildRequest(), lookupSecret), { ok: true, secretId: 'test-id' })
  t.strictSame(verifyTc3Request(buildRequest({ action: 'DescribeUsageData' }), lookupSecret), { ok: true, secretId: 'test-id' }, 'x-tc-action signed')
})

t.test('verifyTc3Request rejects tampering and unknown credentials', async t => {
  const request = buildRequest()
  t.strictSame(verifyTc3Request({ ...request, body: request.body.replace('Transcode', 'Enhance') }, lookupSecret),
    { ok: false, code: 'AuthFailure.SignatureFailure' }, 'tampered body')
  t.strictSame(verifyTc3Request(buildRequest({ secretKey: 'wrong' }), lookupSecret), { ok: false, code: 'AuthFailure.SignatureFailure' }, 'wrong secret')
  t.strictSame(verifyTc3Request(buildRequest({ secretId: 'nobody' }), lookupSecret), { ok: false, code: 'AuthFailure.SecretIdNotFound' }, 'unknown id')
  t.strictSame(verifyTc3Request({ ...request, headers: { ...request.headers, 'x-tc-timestamp': String(timestamp + 1) } }, lookupSecret),
    { ok: false, code: 'AuthFailure.SignatureFailure' }, 'tampered timestamp')
  t.strictSame(verifyTc3Request({ ...request, headers: { ...request.headers, 'x-tc-timestamp': String(timestamp + 86400) } }, lookupSecret),
    { ok: false, code: 'AuthFailure.SignatureFailure' }, 'credential date is not the timestamp day')
  const signedAction = buildRequest({ action: 'DescribeUsageData' })
  t.strictSame(verifyTc3Request({ ...signedAction, headers: { ...signedAction.headers, 'x-tc-action': 'DeleteEverything' } }, lookupSecret),
    { ok: false, code: 'AuthFailure.SignatureFailure' }, 'tampered signed action')
})

t.test('verifyTc3Request reports malformed authorization', async t => {
  const request = buildRequest()
  t.strictSame(verifyTc3Request({ ...request, headers: { ...request.headers, authorization: 'Bearer x' } }, lookupSecret),
    { ok: false, code: 'AuthFailure.InvalidAuthorization' })
  t.strictSame(verifyTc3Request({ ...request, headers: { ...request.headers, 'x-tc-timestamp': undefined } }, lookupSecret),
    { ok: false, code: 'AuthFailure.InvalidAuthorization' }, 'no timestamp')
  t.strictSame(verifyTc3Request({ ...request, headers: { ...request.headers, 'content-type': undefined } }, lookupSecret),
    { ok: false, code: 'AuthFailure.InvalidAuthorization' }, 'signed header missing')
})
