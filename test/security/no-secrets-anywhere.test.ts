/**
 * Secret hygiene end to end: with known secrets configured (access key secret, STS token, API key), a run that
 * goes through every error path — a provider echoing signed requests back, retries, throttling, 5xx, resets,
 * corrupt bodies, auth failures, deadlines, strict mode, bad input, unknown routes, missing and wrong keys, an
 * adapter bug — leaves none of the secrets, tokens or signatures in any log line, response body or header.
 */
import t from 'tap'
import { request } from 'undici'
import { UpstreamError } from '../../src/errors.js'
import { createUpstreamCallLogger } from '../../src/observability/upstream-call-log.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { ApiKeySet, parseApiKeyEntries } from '../../src/security/api-keys.js'
import { startLiveProducerSimulator, type SimulatedAccount } from '../../src/simulators/index.js'
import { startEchoUpstream, type EchoUpstream } from '../support/echo-upstream.js'
import { fakeAdapter } from '../support/fake-adapter.js'
import { captureLogs } from '../support/log-capture.js'
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

const service = await startTestService(t, [
  { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator },
  { id: 'studio-wrong-secret', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator, wrongSecret: true },
  { id: 'echo', adapter: liveProducerAdapter, startSimulator: startEcho },
  { id: 'buggy', adapter: buggy, startSimulator: startEchoUpstream },
  { id: 'blabbing', adapter: blabbing, startSimulator: startEchoUpstream }
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
  let json: any = null
  try { json = JSON.parse(body) } catch {}
  return { status: response.statusCode, json, body }
}

const RANGE = 'from=2026-11-01&to=2026-11-03'

t.test('every error path is exercised', async t => {
  t.equal((await get(`/usage?${RANGE}&source=studio`)).status, 200, 'a good answer')

  const echoed = await get(`/usage?${RANGE}&source=echo,studio`)
  const echoReport = echoed.json.sources.find((source: any) => source.id === 'echo')
  t.equal(echoReport.error.code, 'UPSTREAM_PARAMETER', 'the echoing provider failed the source after a retried 503')
  t.match(echoReport.error.message, /\[redacted\]/, 'its echo reached sources[] only redacted')
  t.match(echoReport.error.message, /x-acs-action/, 'the rest of the echo is kept for diagnosis')
  t.equal(echoed.json.warnings.find((warning: any) => warning.type === 'source_failed')?.source, 'echo')

  t.equal((await get(`/usage?${RANGE}&source=echo&strict=true`)).status, 502, 'strict mode: the echo in a 502 body')
  t.equal((await get(`/usage?${RANGE}&source=buggy`)).json.sources[0].error.code, 'INTERNAL', 'an adapter bug')
  const blabbed = await get(`/usage?${RANGE}&source=blabbing&strict=true`)
  t.equal(blabbed.status, 502, 'a provider message carrying the secret outright')
  t.equal((await get(`/usage?${RANGE}&source=studio-wrong-secret`)).json.sources[0].error.code, 'UPSTREAM_AUTH')

  for (const fault of [{ kind: 'throttle' }, { kind: 'server-error', status: 500 }, { kind: 'auth' }, { kind: 'reset' }, { kind: 'malformed' },
    { kind: 'truncated' }, { kind: 'wrong-types' }] as const) {
    studio.faults.inject(fault, 2)
    t.equal((await get(`/usage?${RANGE}&source=studio`)).status, 200, fault.kind)
    studio.faults.clear()
  }
  studio.faults.inject({ kind: 'hang' }, Number.POSITIVE_INFINITY)
  t.equal((await get(`/usage?${RANGE}&source=studio&timeout=1`)).status, 504, 'the deadline')
  studio.faults.clear()

  for (const [path, status] of [
    [`/usage?from=2026-11-08&to=2026-11-01&tz=Nowhere/Land`, 400],
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
  t.ok(echo!.received.every(call => call.headers['x-acs-security-token'] === ACCOUNT.securityToken), 'it did receive the token')
  t.ok(logs.lines.length > 50, `${logs.lines.length} log lines captured`)
  t.ok(logs.lines.some(line => line.includes('"upstream"') && line.includes('"reqId"')), 'upstream call lines were logged')
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
