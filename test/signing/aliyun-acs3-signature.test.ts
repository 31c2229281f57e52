import t from 'tap'
import { createHash } from 'node:crypto'
import {
  EMPTY_BODY_SHA256, buildAcs3Headers, parseAcs3Authorization, signAcs3, verifyAcs3Request
} from '../../src/signing/index.js'

const runInstancesSignedHeaders = 'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version'

t.test('EMPTY_BODY_SHA256 is the SHA-256 of nothing', async t => {
  t.equal(EMPTY_BODY_SHA256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
})

t.test('official V3 RunInstances vector', async t => {
  const result = signAcs3({
    method: 'POST',
    path: '/',
    query: { RegionId: 'cn-shanghai', ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd' },
    headers: {
      Host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': EMPTY_BODY_SHA256,
      // Not signed: the SDK sends these too.
      accept: 'application/json',
      'user-agent': 'test'
    },
    payloadSha256: EMPTY_BODY_SHA256,
    accessKeyId: 'YourAccessKeyId',
    accessKeySecret: 'YourAccessKeySecret'
  })
  t.equal(result.canonicalRequest, [
    'POST',
    '/',
    'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
    'host:ecs.cn-shanghai.aliyuncs.com',
    'x-acs-action:RunInstances',
    'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'x-acs-date:2023-10-26T10:22:32Z',
    'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
    'x-acs-version:2014-05-26',
    '',
    runInstancesSignedHeaders,
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
  ].join('\n'))
  t.equal(createHash('sha256').update(result.canonicalRequest).digest('hex'), '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259')
  t.equal(result.stringToSign, 'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259')
  t.equal(result.signedHeaders, runInstancesSignedHeaders)
  t.equal(result.signature, '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0')
  t.equal(result.authorization,
    `ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=${runInstancesSignedHeaders},` +
    'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0')
})

t.test('darabonba getAuthorization unit vector (method "undefined", empty path, repeated header)', async t => {
  // Reproduces only with the literal method "undefined" and path '', as the SDK test sets neither.
  const result = signAcs3({
    method: 'undefined',
    path: '',
    query: { test: 'ok', empty: '' },
    headers: { 'x-acs-TEST': 'https', 'x-acs-test': 'http' },
    payloadSha256: '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23',
    accessKeyId: 'acesskey',
    accessKeySecret: 'secret'
  })
  t.equal(result.canonicalRequest, 'undefined\n\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23')
  t.equal(result.authorization,
    'ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac')
})

t.test('parseAcs3Authorization', async t => {
  const signature = '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0'
  t.strictSame(parseAcs3Authorization(`ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=${signature}`),
    { accessKeyId: 'id', signedHeaders: ['host', 'x-acs-date'], signature })
  t.equal(parseAcs3Authorization(''), null)
  t.equal(parseAcs3Authorization(`ACS3-HMAC-SHA1 Credential=id,SignedHeaders=host,Signature=${signature}`), null)
  t.equal(parseAcs3Authorization('ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=abc'), null)
  t.equal(parseAcs3Authorization(`ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;;x,Signature=${signature}`), null)
  t.equal(parseAcs3Authorization(`ACS3-HMAC-SHA256 SignedHeaders=host,Signature=${signature}`), null)
})

const secrets: Record<string, string> = { 'test-id': 'test-secret' }
const lookupSecret = (accessKeyId: string): string | undefined => secrets[accessKeyId]

function buildRequest (overrides: { body?: string, securityToken?: string, accessKeySecret?: string, accessKeyId?: string } = {}) {
  const query = { Action: 'DescribeLiveGrtnDuration', StartTime: '2024-01-01T00:00:00Z', EndTime: '2024-01-02T00:00:00Z' }
  const body = overrides.body ?? ''
  const headers = buildAcs3Headers({
    method: 'POST',
    host: 'live.aliyuncs.com',
    path: '/',
    query,
    body,
    action: 'DescribeLiveGrtnDuration',
    version: '2016-11-01',
    date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    nonce: 'nonce-1',
    accessKeyId: overrides.accessKeyId ?? 'test-id',
    accessKeySecret: overrides.accessKeySecret ?? 'test-secret',
    ...(overrides.securityToken === undefined ? {} : { securityToken: overrides.securityToken })
  })
  return { method: 'POST', path: '/', query, headers: headers as Record<string, string | string[] | undefined>, body }
}

t.test('buildAcs3Headers sends the SDK header set', async t => {
  const { headers } = buildRequest()
  t.equal(headers['x-acs-date'], '2024-01-02T03:04:05Z')
  t.equal(headers['x-acs-content-sha256'], EMPTY_BODY_SHA256)
  t.equal(headers['accept'], 'application/json')
  t.equal(headers['content-type'], undefined, 'no body, no content-type')
  t.equal(headers['x-acs-security-token'], undefined)
  t.match(headers['authorization'], /^ACS3-HMAC-SHA256 Credential=test-id,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/)

  const withToken = buildRequest({ securityToken: 'sts-token', body: 'AppId=a' }).headers
  t.equal(withToken['x-acs-security-token'], 'sts-token')
  t.equal(withToken['x-acs-accesskey-id'], 'test-id')
  t.equal(withToken['content-type'], 'application/x-www-form-urlencoded')
  t.match(withToken['authorization'], /SignedHeaders=content-type;host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,/)
})

t.test('verifyAcs3Request accepts what buildAcs3Headers produced', async t => {
  t.strictSame(verifyAcs3Request(buildRequest(), lookupSecret), { ok: true, accessKeyId: 'test-id' })
  t.strictSame(verifyAcs3Request(buildRequest({ body: 'AppId=a%20b', securityToken: 'tok' }), lookupSecret), { ok: true, accessKeyId: 'test-id' })
  // Unsigned headers may change in transit (proxies add some) without breaking the signature.
  const request = buildRequest()
  t.strictSame(verifyAcs3Request({ ...request, headers: { ...request.headers, 'user-agent': 'x', accept: '*/*' } }, lookupSecret),
    { ok: true, accessKeyId: 'test-id' })
})

t.test('verifyAcs3Request rejects tampering and unknown credentials', async t => {
  const request = buildRequest()
  t.strictSame(verifyAcs3Request({ ...request, query: { ...request.query, EndTime: '2024-01-03T00:00:00Z' } }, lookupSecret),
    { ok: false, code: 'SignatureDoesNotMatch' }, 'tampered query value')
  const withBody = buildRequest({ body: 'AppId=a' })
  t.strictSame(verifyAcs3Request({ ...withBody, body: 'AppId=b' }, lookupSecret), { ok: false, code: 'ContentSha256Mismatch' }, 'tampered body')
  t.strictSame(verifyAcs3Request(buildRequest({ accessKeySecret: 'wrong' }), lookupSecret), { ok: false, code: 'SignatureDoesNotMatch' }, 'wrong secret')
  t.strictSame(verifyAcs3Request(buildRequest({ accessKeyId: 'nobody' }), lookupSecret), { ok: false, code: 'InvalidAccessKeyId.NotFound' }, 'unknown id')
  t.strictSame(verifyAcs3Request({ ...request, headers: { ...request.headers, 'x-acs-date': '2024-01-02T03:04:06Z' } }, lookupSecret),
    { ok: false, code: 'SignatureDoesNotMatch' }, 'tampered signed header')
})

t.test('verifyAcs3Request reports incomplete signatures', async t => {
  const request = buildRequest()
  const { authorization, ...withoutAuthorization } = request.headers
  t.strictSame(verifyAcs3Request({ ...request, headers: withoutAuthorization }, lookupSecret), { ok: false, code: 'IncompleteSignature' }, 'no authorization')
  const { 'x-acs-signature-nonce': _nonce, ...withoutNonce } = request.headers
  t.strictSame(verifyAcs3Request({ ...request, headers: withoutNonce }, lookupSecret), { ok: false, code: 'IncompleteSignature' }, 'signed header missing')

  // A client that left the nonce out of SignedHeaders could be replayed with any nonce.
  const headers: Record<string, string> = { host: 'h', 'x-acs-date': 'd', 'x-acs-content-sha256': EMPTY_BODY_SHA256 }
  const unsignedNonce = signAcs3({ method: 'POST', path: '/', query: {}, headers, payloadSha256: EMPTY_BODY_SHA256, accessKeyId: 'test-id', accessKeySecret: 'test-secret' })
  t.strictSame(verifyAcs3Request({ method: 'POST', path: '/', query: {}, body: '', headers: { ...headers, 'x-acs-signature-nonce': 'n', authorization: unsignedNonce.authorization } }, lookupSecret),
    { ok: false, code: 'IncompleteSignature' }, 'required header not signed')
})
