/** The redactor: configured secrets in every encoding, and signature-, token- and Authorization-looking material. */
import fc from 'fast-check'
import t from 'tap'
import { REDACTED, SecretRedactor } from '../../src/security/secret-redactor.js'
import { propertySeed } from '../support/property-seed.js'

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

/** Alibaba- and STS-like values: long enough to be recognised from a prefix. */
const LONG_SECRET = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bD1'
const LONG_TOKEN = 'CAIS+abc/def=ghi0123456789STStokenMaterial/XYZ+=='
const hostile = SecretRedactor.forCredentials([{ accessKeyId: 'LTAIpublicid', accessKeySecret: LONG_SECRET, securityToken: LONG_TOKEN }])
const lowerEscapes = (text: string) => text.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase())

t.test('every encoding of a configured secret or token is removed', async t => {
  for (const value of [LONG_SECRET, LONG_TOKEN, SECRET, TOKEN]) {
    const bytes = Buffer.from(value)
    const forms: Array<[string, string]> = [
      ['URL-encoded, lower-case escapes', lowerEscapes(encodeURIComponent(value))],
      ['URL-encoded twice, lower-case escapes', lowerEscapes(encodeURIComponent(lowerEscapes(encodeURIComponent(value))))],
      ['base64', bytes.toString('base64')],
      ['base64url', bytes.toString('base64url')],
      ['base64, URL-encoded', encodeURIComponent(bytes.toString('base64'))],
      ['hex', bytes.toString('hex')],
      ['hex, upper case', bytes.toString('hex').toUpperCase()]
    ]
    for (const [name, form] of forms) {
      const output = both(value).text(`provider said: bad value ${form} here`)
      t.notMatch(output, form, `${name} of ${value}`)
      t.match(output, /^provider said: bad value \[redacted\](?:[\w-]|%2[BF])?(?:=|%3D){0,2} here$/i, `${name}: only the value goes (a last character of under 8 bits and padding may stay)`)
    }
  }
  // Inside a longer base64 value, at each of the three byte alignments (Basic credentials, a packed token).
  for (const before of ['', 'k', 'ke', 'key', 'LTAIpublicid:']) {
    const blob = Buffer.from(`${before}${LONG_SECRET}:more`).toString('base64')
    const output = hostile.text(`Basic ${blob}`)
    const core = Buffer.from(LONG_SECRET).toString('base64').slice(1, -2)
    t.notMatch(output, Buffer.from(LONG_SECRET).toString('base64').slice(4, 24), `base64 of '${before}' + secret`)
    t.match(output, REDACTED, `base64 of '${before}' + secret, ${core.length} characters`)
  }
})

/** The redactor that knows the value (the short secrets belong to the first one). */
function both (value: string): SecretRedactor {
  return value === SECRET || value === TOKEN ? redactor : hostile
}

t.test('a long enough prefix of a long secret or token is removed, whatever follows it', async t => {
  for (const value of [LONG_SECRET, LONG_TOKEN]) {
    for (const length of [12, 13, 20, value.length - 1]) {
      const prefix = value.slice(0, length)
      const output = hostile.text(`echo: ${prefix}... (truncated)`)
      t.equal(output, 'echo: [redacted]... (truncated)', `the first ${length} characters of ${value}`)
    }
    const encodedPrefix = encodeURIComponent(value).slice(0, 20)
    t.notMatch(hostile.text(`q=${encodedPrefix}`), encodedPrefix, 'a prefix of its URL-encoded form')
  }
  t.equal(hostile.text(`id ${LONG_SECRET.slice(0, 11)}`), `id ${LONG_SECRET.slice(0, 11)}`, '11 characters are not enough to tell')
  const shortSecret = 'short-secret-0123'
  const short = new SecretRedactor([shortSecret])
  t.equal(short.text(`x ${shortSecret.slice(0, 15)}`), `x ${shortSecret.slice(0, 15)}`, 'a secret under 20 characters only whole')
  t.equal(short.text(`x ${shortSecret}`), `x ${REDACTED}`)
})

t.test('a signature-shaped value after a signature phrase is removed, whoever it belongs to', async t => {
  const hex64 = 'b5c9f0e1a2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9'
  const hex40 = '0123456789abcdef0123456789abcdef01234567'
  const base64 = 'qXyZ0aB1cD2eF3gH4iJ5kL6mN7o='
  const cases = [
    `SignatureDoesNotMatch: expected signature ${hex64}, got another`,
    `SignatureDoesNotMatch: the expected signature is '${hex40}'`,
    `Signature: ${base64}`,
    `signature:${hex64}`,
    `Specified signature is not matched with our calculation. server signature is ${encodeURIComponent(base64)}`,
    `AuthFailure.SignatureFailure: StringToSign: TC3-HMAC-SHA256\n1700000000\n2026-11-20/mps/tc3_request\n${hex64}`,
    JSON.stringify({ msg: `StringToSign was TC3-HMAC-SHA256\n1700000000\n2026-11-20/mps/tc3_request\n${hex64}` }),
    `the request was signed with TC3-HMAC-SHA256 Credential=AKIDx/2026-11-20/mps/tc3_request, SignedHeaders=host, Signature=${hex64}`,
    `expected signature (base64url) ${Buffer.from(hex64.slice(0, 64), 'hex').toString('base64url')}`
  ]
  for (const input of cases) {
    const output = hostile.text(input)
    t.same([hex64, hex40, base64, encodeURIComponent(base64), Buffer.from(hex64, 'hex').toString('base64url')].filter(value => output.includes(value)), [], input)
  }
  const unrelated = `RequestId ${hex64} and the empty payload hash ${hex40}`
  t.equal(hostile.text(unrelated), unrelated, 'a hash without a signature phrase nearby stays (request ids, payload hashes)')
})

t.test('credential-named query parameters in URLs are removed', async t => {
  const names = ['api_key', 'apiKey', 'api-key', 'key', 'token', 'access_token', 'AccessKeySecret', 'SecretKey', 'Signature', 'SecurityToken', 'X-TC-Token', 'password']
  for (const name of names) {
    const url = `/usage?from=2026-11-01&${name}=topSecretValue42&to=2026-11-03`
    t.equal(hostile.text(url), `/usage?from=2026-11-01&${name}=[redacted]&to=2026-11-03`, name)
    t.equal(hostile.text(`/usage?${name}=topSecretValue42`), `/usage?${name}=[redacted]`, `${name} first`)
  }
  const ordinary = '/x?AccessKeyId=LTAIpublic&SignatureNonce=n1&SignatureMethod=HMAC-SHA1&groupBy=tier'
  t.equal(hostile.text(ordinary), ordinary, 'identifiers and signing parameters that are not secret stay')
})

t.test('property: any base64 blob or truncated echo carrying a secret loses it', async t => {
  const secretArbitrary = fc.string({ minLength: 20, maxLength: 60, unit: 'grapheme-ascii' })
  fc.assert(fc.property(secretArbitrary, fc.string({ maxLength: 5 }), fc.nat(40), (secret, before, cut) => {
    const local = new SecretRedactor([secret])
    const prefix = secret.slice(0, Math.max(12, secret.length - cut))
    const base64 = Buffer.from(before + secret).toString('base64')
    const middle = Buffer.from(secret.slice(3, secret.length - 3)).toString('base64').slice(4, 24)
    return !local.text(`x ${prefix}`).includes(prefix) && !local.text(base64).includes(middle)
  }), { seed: propertySeed(t), numRuns: 1_000 })
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
  const input = { error: { message: `x ${SECRET}`, details: [{ message: 'Signature=abc' }, 3, null, true] } }
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
  }), { seed: propertySeed(t), numRuns: 2_000 })
})
