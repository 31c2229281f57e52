/** The redactor: configured secrets in every encoding, and signature-, token- and Authorization-looking material. */
import fc from 'fast-check'
import t from 'tap'
import { REDACTED, SecretRedactor } from '../../src/security/secret-redactor.js'

const SECRET = 'kS3cr3t/With+Slash=And"Quote'
const TOKEN = 'CAIS1234tokenPart/+=xyz'
const redactor = SecretRedactor.forCredentials([{ accessKeyId: 'LTAIpublicid', accessKeySecret: SECRET, securityToken: TOKEN }])

t.test('configured secrets are removed raw, URL-encoded (once and twice) and JSON-escaped', async t => {
  for (const form of [SECRET, encodeURIComponent(SECRET), encodeURIComponent(encodeURIComponent(SECRET)), JSON.stringify(SECRET).slice(1, -1), TOKEN, encodeURIComponent(TOKEN)]) {
    const output = redactor.text(`provider said: bad value ${form} here`)
    t.notMatch(output, form, form)
    t.match(output, REDACTED)
  }
  t.match(redactor.text('key LTAIpublicid is fine'), 'LTAIpublicid', 'the access key id is an identifier, not a secret')
})

t.test('signature-, token- and Authorization-looking material is removed even when not configured', async t => {
  const cases: Array<[string, string]> = [
    ['InvalidParameter: query AccessKeyId=LTAI&Signature=abc123%2Bdef&SignatureNonce=n1', 'abc123%2Bdef'],
    ['echo {"Signature":"deadbeefcafe","Other":"x"}', 'deadbeefcafe'],
    ['Authorization: ACS3-HMAC-SHA256 Credential=LTAI,SignedHeaders=host,Signature=0f2d5495', '0f2d5495'],
    ['Authorization: TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd', '2230eefd'],
    ['{"authorization":"Bearer abcdefghijklmnopqrstuvwxyz"}', 'abcdefghijklmnopqrstuvwxyz'],
    ['sent Bearer 0123456789abcdef0123 to us', '0123456789abcdef0123'],
    ['SecurityToken=othertoken999&Action=X', 'othertoken999'],
    ['string to sign POST&%2F&SecurityToken%3Dencodedtoken777%26Timestamp%3D1', 'encodedtoken777'],
    ['header X-TC-Token: tencenttoken555 rejected', 'tencenttoken555'],
    ['x-acs-security-token: acstoken444', 'acstoken444']
  ]
  for (const [input, secret] of cases) {
    const output = redactor.text(input)
    t.notMatch(output, secret, input)
  }
  t.match(redactor.text('SecurityToken%3Dencodedtoken777%26Timestamp%3D1'), 'Timestamp%3D1', 'an encoded & ends the value')
})

t.test('ordinary provider messages are left readable', async t => {
  for (const message of [
    'IncompleteSignature: The request signature does not conform to Aliyun standards.',
    'SignatureDoesNotMatch: Specified signature is not matched with our calculation.',
    'MissingSecurityToken: SecurityToken is mandatory for this action.',
    'Throttling.User: Request was denied due to user flow control.',
    'an API key is required: send the header Authorization with the value Bearer and the key',
    'SignatureMethod=HMAC-SHA1&SignatureVersion=1.0'
  ]) t.equal(redactor.text(message), message)
})

t.test('short configured values are not treated as secrets (they would blank ordinary words)', async t => {
  const short = SecretRedactor.forCredentials([{ accessKeyId: 'id', accessKeySecret: 'secret' }])
  t.equal(short.text('the secret word'), 'the secret word')
})

t.test('deep redaction copies plain objects and arrays, leaving other values alone', async t => {
  const input = { error: { message: `x ${SECRET}`, details: [{ message: `Signature=abc` }, 3, null, true] } }
  const output = redactor.deep(input)
  t.same(output, { error: { message: `x ${REDACTED}`, details: [{ message: `Signature=${REDACTED}` }, 3, null, true] } })
  t.equal(input.error.message, `x ${SECRET}`, 'the input is not changed')
})

t.test('property: a redacted JSON log line is still JSON and holds no configured secret', async t => {
  const secretArbitrary = fc.string({ minLength: 8, maxLength: 40, unit: 'binary' })
  fc.assert(fc.property(secretArbitrary, fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (secret, before, after) => {
    const local = new SecretRedactor([secret])
    const line = JSON.stringify({ level: 30, msg: `${before}${secret}${after}`, nested: { value: secret, list: [`Signature=${secret}`] } }) + '\n'
    const output = local.logLine(line)
    const parsed = JSON.parse(output)
    const strings = [parsed.msg, parsed.nested.value, parsed.nested.list[0]]
    return strings.every(text => !text.includes(secret))
  }), { numRuns: 2_000 })
})
