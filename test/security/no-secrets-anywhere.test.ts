/**
 * Secret hygiene end to end: with known secrets configured (access key secret, STS token, API key), a run that
 * goes through every error path — a provider echoing signed requests back, retries, throttling, 5xx, resets,
 * corrupt bodies, auth failures, deadlines, strict mode, bad input, unknown routes, missing and wrong keys, an
 * adapter bug, providers whose messages echo the secrets in every encoding (lower-case escapes, base64, hex, cut
 * short) and signatures after "expected signature", a key put in the query string — leaves none of the secrets,
 * tokens or signatures in any log line, response body or header.
 */
import { createHmac } from 'node:crypto'
import t from 'tap'
import { request } from 'undici'
import { UpstreamError } from '../../src/errors.js'
import { createUpstreamCallLogger } from '../../src/observability/upstream-call-log.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { mpsAdapter } from '../../src/providers/tencent-mps/mps-adapter.js'
import { usageResponseSchema } from '../../src/schemas/usage-response-schema.js'
import { ApiKeySet, parseApiKeyEntries } from '../../src/security/api-keys.js'
import { startLiveProducerSimulator, type SimulatedAccount } from '../../src/simulators/index.js'
import { startEchoUpstream, type EchoUpstream } from '../support/echo-upstream.js'
import { fakeAdapter } from '../support/fake-adapter.js'
import { captureLogs } from '../support/log-capture.js'
import { scriptedUpstream } from '../support/scripted-upstream.js'
import { checkedBody } from '../support/checked-body.js'
import { startTestService } from '../support/test-service.js'

const ACCOUNT: SimulatedAccount = {
  accessKeyId: 'LTAIhygienetest01',
  accessKeySecret: 'SECRET-ak-9f8e7d6c5b4a3210zyx',
  securityToken: 'TOKEN-sts-CAIS+abc/def=ghi-0123456789'
}
const API_KEY = 'API-KEY-hygiene-0123456789abcdef'
const WRONG_KEY = 'API-KEY-wrong-fedcba9876543210'

const logs = captureLogs({ level: 'trace', secrets: [ACCOUNT.accessKeySecret, ACCOUNT.securityToken!] })
let echo: EchoUpstream | undefined
const startEcho = async () => (echo = await startEchoUpstream())
// An adapter with a bug: its error message carries the secret it was given.
const buggy = fakeAdapter({
  kind: 'fake.buggy',
  metrics: ['studio.output.duration'],
  answer: () => { throw new Error(`adapter bug while signing with ${ACCOUNT.accessKeySecret} and ${ACCOUNT.securityToken}`) }
})
// A provider error whose message carries the secret outright, not only echoed headers.
const blabbing = fakeAdapter({
  kind: 'fake.blabbing',
  metrics: ['studio.output.duration'],
  answer: () => {
    throw new UpstreamError('UPSTREAM_PARAMETER', `InvalidParameter: AccessKeySecret=${ACCOUNT.accessKeySecret}&SecurityToken=${encodeURIComponent(ACCOUNT.securityToken!)}&Signature=c2lnbmF0dXJlLXZhbHVlLTAx`, {
      providerCode: `Bad.${ACCOUNT.accessKeySecret}`, requestId: `REQ-${ACCOUNT.securityToken}`
    })
  }
})

// Keys a caller put in the query string by mistake: they would be logged inside the request URL.
const QUERY_KEYS = { api_key: API_KEY, token: 'QUERY-token-0123456789abcdef', access_token: 'QUERY-access-0123456789abcdef', AccessKeySecret: 'QUERY-secret-0123456789abcdef' }

const lowerEscapes = (text: string) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase())
const base64 = (text: string) => Buffer.from(text).toString('base64')
const base64url = (text: string) => Buffer.from(text).toString('base64url')
const hex = (text: string) => Buffer.from(text).toString('hex')
// Signatures of nobody configured here, as a provider reports the one it expected.
const EXPECTED_HEX = createHmac('sha256', 'provider side').update('canonical request').digest('hex')
const EXPECTED_SHA1_HEX = createHmac('sha1', 'provider side').update('string to sign').digest('hex')
const EXPECTED_BASE64 = createHmac('sha1', 'provider side').update('rpc string to sign').digest('base64')
const KEY_AND_SECRET = base64(`key:${ACCOUNT.accessKeySecret}`)
/** A provider message carrying the secret and the token in every form, none of them after a credential name. */
const HOSTILE_MESSAGE = [
  `we received (${lowerEscapes(ACCOUNT.securityToken!)}) and (${lowerEscapes(lowerEscapes(ACCOUNT.securityToken!))})`,
  `decoded from ${base64(ACCOUNT.accessKeySecret)} and ${base64(ACCOUNT.securityToken!)}`,
  `url-safe ${base64url(ACCOUNT.securityToken!)}, hex ${hex(ACCOUNT.accessKeySecret)} ${hex(ACCOUNT.securityToken!).toUpperCase()}`,
  `basic ${KEY_AND_SECRET}, cut short ${ACCOUNT.securityToken!.slice(0, 14)}... and ${ACCOUNT.accessKeySecret.slice(0, 13)}...`,
  `expected signature ${EXPECTED_HEX}, the expected signature is '${EXPECTED_SHA1_HEX}'; Signature: ${EXPECTED_BASE64}`,
  `StringToSign: TC3-HMAC-SHA256\n1700000000\n2026-11-20/mps/tc3_request\n${EXPECTED_HEX}`
].join('; ')
const hostileForms = new Map<string, string>([
  ['token, lower-case escapes', lowerEscapes(ACCOUNT.securityToken!)],
  ['token, lower-case escapes twice', lowerEscapes(lowerEscapes(ACCOUNT.securityToken!))],
  // The last characters of a base64 form may hold a few bits of what follows, and stay.
  ['secret, base64', base64(ACCOUNT.accessKeySecret).slice(0, -4)],
  ['token, base64', base64(ACCOUNT.securityToken!).slice(0, -4)],
  ['token, base64url', base64url(ACCOUNT.securityToken!).slice(0, -4)],
  ['secret, hex', hex(ACCOUNT.accessKeySecret)],
  ['token, hex', hex(ACCOUNT.securityToken!).toUpperCase()],
  ['secret inside base64 key:secret', KEY_AND_SECRET.slice(6, 40)],
  ['token, cut short', ACCOUNT.securityToken!.slice(0, 14)],
  ['secret, cut short', ACCOUNT.accessKeySecret.slice(0, 13)],
  ['expected signature, hex', EXPECTED_HEX],
  ['expected signature, SHA-1 hex', EXPECTED_SHA1_HEX],
  ['expected signature, base64', EXPECTED_BASE64]
])

const service = await startTestService(t, [
  { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator },
  { id: 'studio-wrong-secret', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator, wrongSecret: true },
  { id: 'echo', adapter: liveProducerAdapter, startSimulator: startEcho },
  { id: 'buggy', adapter: buggy, startSimulator: startEchoUpstream },
  { id: 'blabbing', adapter: blabbing, startSimulator: startEchoUpstream },
  {
    id: 'hostile-aliyun',
    adapter: liveProducerAdapter,
    startSimulator: scriptedUpstream(() => ({ status: 400, body: JSON.stringify({ RequestId: 'H-1', Code: 'SignatureDoesNotMatch', Message: HOSTILE_MESSAGE }) }))
  },
  {
    id: 'hostile-tencent',
    adapter: mpsAdapter,
    startSimulator: scriptedUpstream(() => ({
      status: 200,
      body: JSON.stringify({ Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: HOSTILE_MESSAGE }, RequestId: 'H-2' } })
    }))
  }
], {
  account: ACCOUNT,
  apiKeys: new ApiKeySet(parseApiKeyEntries(API_KEY)),
  logger: logs.logger,
  onCall: createUpstreamCallLogger(logs.logger),
  retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
  cache: false,
  upstreamTimeoutMs: 30_000
})
const studio = service.simulators.studio!

/** Everything a caller saw: status line, headers and body of every answer. */
const seen: string[] = []
async function get (path: string, key: string | null = API_KEY, extraHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extraHeaders }
  if (key !== null) headers.authorization = `Bearer ${key}`
  const response = await request(service.url + path, { headers })
  const body = await response.body.text()
  seen.push(`${response.statusCode} ${JSON.stringify(response.headers)}\n${body}`)
  let json: unknown = null
  try { json = JSON.parse(body) } catch {}
  return { status: response.statusCode, json, body }
}
/** The same, for an answer that must be a usage answer (partial or not). */
async function getUsage (path: string) {
  const answer = await get(path)
  return checkedBody(usageResponseSchema, `GET ${path}: ${answer.status} ${answer.body.slice(0, 1000)}`, answer.json)
}

const RANGE = 'from=2026-11-01&to=2026-11-03'

t.test('every error path is exercised', async t => {
  t.equal((await get(`/usage?${RANGE}&source=studio`)).status, 200, 'a good answer')

  const echoed = await getUsage(`/usage?${RANGE}&source=echo,studio`)
  const echoReport = echoed.sources.find(source => source.id === 'echo')
  t.equal(echoReport?.error?.code, 'UPSTREAM_PARAMETER', 'the echoing provider failed the source after a retried 503')
  t.match(echoReport?.error?.message, /\[redacted\]/, 'its echo reached sources[] only redacted')
  t.match(echoReport?.error?.message, /x-acs-action/, 'the rest of the echo is kept for diagnosis')
  t.equal(echoed.warnings.find(warning => warning.type === 'source_failed')?.source, 'echo')

  t.equal((await get(`/usage?${RANGE}&source=echo&strict=true`)).status, 502, 'strict mode: the echo in a 502 body')
  t.equal((await getUsage(`/usage?${RANGE}&source=buggy`)).sources[0]?.error?.code, 'INTERNAL', 'an adapter bug')
  const blabbed = await get(`/usage?${RANGE}&source=blabbing&strict=true`)
  t.equal(blabbed.status, 502, 'a provider message carrying the secret outright')
  t.equal((await getUsage(`/usage?${RANGE}&source=studio-wrong-secret`)).sources[0]?.error?.code, 'UPSTREAM_AUTH')
  const hostile = await getUsage(`/usage?${RANGE}&tz=Asia/Shanghai&source=hostile-aliyun,hostile-tencent`)
  t.same(hostile.sources.map(source => source.error?.code), ['UPSTREAM_AUTH', 'UPSTREAM_AUTH'], 'providers echoing the secrets in every form')
  t.match(hostile.sources[0]?.error?.message, /^SignatureDoesNotMatch: we received/, 'the message is kept, redacted')
  t.equal((await get(`/usage?${RANGE}&tz=Asia/Shanghai&source=hostile-aliyun,hostile-tencent&strict=true`)).status, 502, 'and in a strict 502 body')
  const queryKeys = Object.entries(QUERY_KEYS).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&')
  t.equal((await get(`/usage?${RANGE}&${queryKeys}`)).status, 400, 'keys sent in the query string are refused')
  t.ok(logs.lines.some(line => line.includes('api_key=[redacted]')), 'and logged only redacted inside the request URL', { found: logs.lines })

  for (const fault of [{ kind: 'throttle' }, { kind: 'server-error', status: 500 }, { kind: 'auth' }, { kind: 'reset' }, { kind: 'malformed' },
    { kind: 'truncated' }, { kind: 'wrong-types' }] as const) {
    studio.faults.inject(fault, 2)
    t.equal((await get(`/usage?${RANGE}&source=studio`)).status, 200, fault.kind)
    studio.faults.clear()
  }
  studio.faults.inject({ kind: 'hang' }, Number.POSITIVE_INFINITY)
  t.equal((await get(`/usage?${RANGE}&source=studio&timeout=1`)).status, 200, 'the deadline: what was obtained')
  t.equal((await get(`/usage?${RANGE}&source=studio&timeout=1&strict=true`)).status, 504, 'the deadline, strict')
  studio.faults.clear()

  for (const [path, status] of [
    ['/usage?from=2026-11-08&to=2026-11-01&tz=Nowhere/Land', 400],
    [`/usage?${RANGE}&tz=Asia/Kolkata&source=studio`, 400],
    [`/usage?${RANGE}&provider=tencent`, 400],
    ['/usage?from=2020-01-01&to=2026-11-01&granularity=hour', 400],
    ['/nope', 404],
    ['/usage/catalog', 200],
    ['/metrics', 200],
    ['/openapi.json', 200],
    ['/healthz', 200]
  ] as const) t.equal((await get(path)).status, status, path)
  t.equal((await get(`/usage?${RANGE}`, null)).status, 401, 'no key')
  t.equal((await get(`/usage?${RANGE}`, WRONG_KEY)).status, 401, 'a wrong key')
  t.equal((await get(`/usage?${RANGE}`, null, { authorization: `Basic ${API_KEY}` })).status, 401, 'a key in the wrong scheme')

  // What a careless line of code could log: a source's configuration, an error built from a secret.
  logs.logger.info({ source: { id: 'studio', credentials: ACCOUNT } }, 'source configured')
  logs.logger.error({ err: new Error(`request failed: Signature=abcdef0123456789abcdef&SecurityToken=${ACCOUNT.securityToken}`) }, 'careless error')
  logs.logger.warn({ headers: { authorization: `Bearer ${API_KEY}` } }, 'careless headers')

  t.ok(echo!.received.length >= 4, 'the echoing provider was called, retries included')
  t.same(echo!.received.filter(call => !(call.headers['x-acs-security-token'] === ACCOUNT.securityToken)), [], 'it did receive the token')
  t.ok(logs.lines.length > 50, `${logs.lines.length} log lines captured`)
  t.ok(logs.lines.some(line => line.includes('"upstream"') && line.includes('"reqId"')), 'upstream call lines were logged', { found: logs.lines })
})

t.test('no secret, token, signature or key appears in any log line or answer', async t => {
  const signatures = echo!.received.map(call => /Signature=([0-9a-f]+)/.exec(String(call.headers.authorization))?.[1]).filter(Boolean) as string[]
  t.ok(signatures.length >= 4, 'signatures the provider saw')
  const authorizations = echo!.received.map(call => String(call.headers.authorization))
  const forbidden = new Map<string, string>([
    ['access key secret', ACCOUNT.accessKeySecret],
    ['access key secret, URL-encoded', encodeURIComponent(ACCOUNT.accessKeySecret)],
    ['security token', ACCOUNT.securityToken!],
    ['security token, URL-encoded', encodeURIComponent(ACCOUNT.securityToken!)],
    ['API key', API_KEY],
    ['wrong API key', WRONG_KEY],
    ['not-the-secret (the wrong secret is a secret too)', 'not-the-secret'],
    ['the blabbing provider\'s signature', 'c2lnbmF0dXJlLXZhbHVlLTAx'],
    ['a careless log line\'s signature', 'abcdef0123456789abcdef'],
    ...hostileForms,
    ...Object.entries(QUERY_KEYS).map(([name, value]) => [`the ${name} query parameter`, value] as [string, string]),
    ...signatures.map((signature, index) => [`signature ${index}`, signature] as [string, string]),
    ...authorizations.map((value, index) => [`Authorization header ${index}`, value] as [string, string])
  ])
  const places = [...logs.lines.map((line, index) => [`log line ${index}`, line]), ...seen.map((answer, index) => [`answer ${index}`, answer])]
  let leaks = 0
  for (const [where, text] of places) {
    for (const [what, secret] of forbidden) {
      if (text!.includes(secret)) {
        leaks++
        t.fail(`${what} in ${where}: ${text!.slice(0, 300)}`)
      }
    }
    if (/Signature=(?!\[redacted\])[0-9a-zA-Z+/=%]{8,}/.test(text!)) {
      leaks++
      t.fail(`signature-looking material in ${where}: ${text!.slice(0, 300)}`)
    }
  }
  t.equal(leaks, 0, `${places.length} places checked for ${forbidden.size} secrets`)
})
