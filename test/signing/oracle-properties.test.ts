// Compares our signers with the official SDK helpers (dev dependencies, used as oracles only) on random input.
import t from 'tap'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import openapiUtil from '@alicloud/openapi-util'
import tencentSign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js'
import { signAcs3, signRpc, signTc3, verifyAcs3Request, verifyTc3Request } from '../../src/signing/index.js'
import { propertySeed } from '../support/property-seed.js'

// Both are CommonJS modules with `exports.default`; from ESM the default import is the whole `exports` object.
const AlibabaUtil = openapiUtil.default
const TencentSign = tencentSign.default

// Parameter and header names are ASCII in every real API; values get the whole of Unicode (no lone surrogates,
// which encodeURIComponent rejects in the SDK as well).
const anyText = fc.string({ unit: 'grapheme', maxLength: 20 })
// '__proto__' is excluded: the SDK copies parameters by assignment, which turns that key into a prototype and drops it.
const parameterName = fc.stringMatching(/^[A-Za-z0-9_.~-]{1,12}$/).filter(name => name !== '__proto__')
const headerValue = fc.string({ unit: 'grapheme-ascii', maxLength: 20 })
// Labels start with a letter: the SDK's `new URL()` would read a numeric last label as IPv4 ('0' -> '0.0.0.0').
const hostName = fc.stringMatching(/^[a-z][a-z0-9]{0,9}(\.[a-z][a-z0-9]{0,9}){0,3}$/)
const method = fc.constantFrom('GET', 'POST')

t.test('signRpc equals getRPCSignature', async t => {
  // The SDK's toMap throws on null-prototype objects, which fast-check dictionaries may otherwise be.
  fc.assert(fc.property(fc.dictionary(parameterName, anyText, { noNullPrototype: true }), method, anyText, (parameters, httpMethod, accessKeySecret) =>
    signRpc({ method: httpMethod, parameters, accessKeySecret }) === AlibabaUtil.getRPCSignature(parameters, httpMethod, accessKeySecret)), { seed: propertySeed(t) })
})

t.test('signAcs3 equals getAuthorization', async t => {
  const acsHeaderName = fc.stringMatching(/^x-(acs|ACS|Acs)-[a-z0-9-]{1,10}$/)
  const otherHeaderName = fc.constantFrom('accept', 'user-agent', 'Content-Type', 'Host', 'x-other')
  fc.assert(fc.property(
    fc.dictionary(parameterName, anyText), fc.dictionary(fc.oneof(acsHeaderName, otherHeaderName), headerValue),
    method, fc.stringMatching(/^[0-9a-f]{64}$/), anyText,
    (query, headers, httpMethod, payloadSha256, accessKeySecret) => {
      const ours = signAcs3({ method: httpMethod, path: '/', query, headers, payloadSha256, accessKeyId: 'id', accessKeySecret })
      const request = { method: httpMethod, pathname: '/', query, headers } as unknown as Parameters<typeof AlibabaUtil.getAuthorization>[0]
      return ours.authorization === AlibabaUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', payloadSha256, 'id', accessKeySecret)
    }), { seed: propertySeed(t) })
})

t.test('signTc3 equals sign3', async t => {
  fc.assert(fc.property(
    hostName, fc.jsonValue(), fc.integer({ min: 0, max: 4_102_444_800 }), anyText,
    fc.constantFrom('application/json; charset=utf-8', 'application/json', 'application/x-www-form-urlencoded'),
    (host, body, timestamp, secretKey, contentType) => {
      const payload = JSON.stringify(body) ?? ''
      const service = host.split('.')[0] ?? ''
      const ours = signTc3({ secretId: 'AKIDtest', secretKey, service, host, timestamp, payload, contentType })
      // A Buffer payload is hashed as is; an object would be re-serialised by json-bigint.
      const official = TencentSign.sign3({
        method: 'POST',
        url: `https://${host}/`,
        payload: Buffer.from(payload),
        timestamp,
        service,
        secretId: 'AKIDtest',
        secretKey,
        multipart: false,
        boundary: '',
        headers: { 'Content-Type': contentType }
      })
      return ours.authorization === official
    }), { seed: propertySeed(t) })
})

t.test('verifiers accept what the signers produce', async t => {
  fc.assert(fc.property(fc.dictionary(parameterName, anyText), anyText, anyText, (query, body, accessKeySecret) => {
    const headers = { host: 'h', 'x-acs-date': 'd', 'x-acs-signature-nonce': 'n', 'x-acs-content-sha256': createHash('sha256').update(body).digest('hex') }
    const { authorization } = signAcs3({ method: 'POST', path: '/', query, headers, payloadSha256: headers['x-acs-content-sha256'], accessKeyId: 'id', accessKeySecret })
    return verifyAcs3Request({ method: 'POST', path: '/', query, headers: { ...headers, authorization }, body }, () => accessKeySecret).ok
  }), { seed: propertySeed(t) })
  fc.assert(fc.property(anyText, anyText, fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer({ min: 1, max: 65535 }), (payload, secretKey, timestamp, port) => {
    const contentType = 'application/json; charset=utf-8'
    const { authorization } = signTc3({ secretId: 'id', secretKey, service: '127', host: '127.0.0.1', timestamp, payload, contentType, action: 'Describe' })
    const headers = { host: `127.0.0.1:${port}`, 'content-type': contentType, 'x-tc-action': 'Describe', 'x-tc-timestamp': String(timestamp), authorization }
    return verifyTc3Request({ method: 'POST', headers, body: payload }, () => secretKey).ok
  }), { seed: propertySeed(t) })
})
