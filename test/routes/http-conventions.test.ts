/**
 * What HTTP consumers rely on besides the body, through real HTTP: compression, validators and caching headers,
 * CORS, and request ids.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t from 'tap'
import { request } from 'undici'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { fixedClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config/load-config.js'
import { ApiKeySet, sha256 } from '../../src/security/api-keys.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'
import { build } from '../support/build.js'
import { captureLogs } from '../support/log-capture.js'
import { startTestService, TEST_NOW } from '../support/test-service.js'

const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
/** Long settled: every point final. */
const SETTLED = '/usage?from=2026-09-01&to=2026-10-01'
/** Reaches today: provisional points. */
const RECENT = '/usage?from=2026-11-18&to=2026-11-21'
/** A year of hours: megabytes of JSON. */
const BIG = '/usage?from=2025-11-01&to=2026-11-01&granularity=hour'

async function raw (url: string, headers: Record<string, string> = {}, method: 'GET' | 'OPTIONS' = 'GET') {
  const response = await request(url, { method, headers })
  const body = Buffer.from(await response.body.arrayBuffer())
  return { status: response.statusCode, headers: response.headers, body }
}

t.test('gzip and brotli by Accept-Encoding: both decode to the identity bytes, far smaller for a big answer', async t => {
  // No answer cache: every request calls upstream, so every answer says the same (calls: 1) and the bytes repeat.
  const service = await startTestService(t, [studio], { cache: false, limits: { maxPoints: 1_000_000, maxRangeMs: 800 * 86_400_000 } })
  const identity = await raw(service.url + BIG, { 'accept-encoding': 'identity' })
  t.equal(identity.status, 200, identity.body.toString().slice(0, 300))
  t.equal(identity.headers['content-encoding'], undefined)
  const gzip = await raw(service.url + BIG, { 'accept-encoding': 'gzip' })
  const brotli = await raw(service.url + BIG, { 'accept-encoding': 'gzip, br' })
  t.equal(gzip.headers['content-encoding'], 'gzip')
  t.equal(brotli.headers['content-encoding'], 'br', 'brotli preferred when both are accepted')
  t.match(gzip.headers.vary, /accept-encoding/i)
  t.ok(gunzipSync(gzip.body).equals(identity.body), 'gzip decodes to the same bytes')
  t.ok(brotliDecompressSync(brotli.body).equals(identity.body), 'brotli decodes to the same bytes')
  t.ok(identity.body.length > 1_000_000, `identity ${identity.body.length} bytes`)
  t.ok(gzip.body.length * 5 < identity.body.length, `gzip ${gzip.body.length} of ${identity.body.length} bytes`)
  t.ok(brotli.body.length * 5 < identity.body.length, `br ${brotli.body.length} of ${identity.body.length} bytes`)
  t.equal(gzip.headers.etag, identity.headers.etag, 'one weak tag for every content coding of the same data')
  t.equal(brotli.headers.etag, identity.headers.etag)

  const csv = await raw(service.url + BIG + '&format=csv', { 'accept-encoding': 'gzip' })
  t.equal(csv.headers['content-encoding'], 'gzip', 'CSV is compressed too')
  t.match(gunzipSync(csv.body).toString().split('\n')[0], /^start,end,metric/)
})

/** A weak tag: W/, then the quoted SHA-256 in base64url. */
const WEAK_TAG = /^W\/"[A-Za-z0-9_-]{43}"$/

t.test('a final answer: weak ETag, cacheable for an hour, 304 with no body when the caller holds it', async t => {
  const service = await startTestService(t, [studio], { cache: false })
  const first = await service.getUsage(SETTLED)
  t.equal(first.status, 200)
  t.equal(first.json.complete, true)
  t.equal(first.json.final, true, 'every point final')
  t.same(first.json.series.flatMap(series => series.points.filter(point => point.state !== 'final')), [], 'every point final')
  t.same(Object.keys(first.json).slice(-3), ['sources', 'warnings', 'cacheAgeSeconds'],
    'the keys holding the bookkeeping come last, so the tag replaces them without serializing the series again')
  const etag = first.headers.etag as string
  t.match(etag, WEAK_TAG)
  t.equal(first.headers['cache-control'], 'private, max-age=3600')

  const again = await raw(service.url + SETTLED, { 'if-none-match': etag })
  t.equal(again.status, 304)
  t.equal(again.body.length, 0, 'no body')
  t.equal(again.headers.etag, etag)
  t.equal(again.headers['cache-control'], 'private, max-age=3600')
  t.match(again.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a 304 has its request id too')
  t.not(again.headers['x-request-id'], first.headers['x-request-id'])
  t.equal((await raw(service.url + SETTLED, { 'if-none-match': `"other", ${etag.slice(2)}` })).status, 304, 'a list, and the same tag without W/, match too')
  t.equal((await raw(service.url + SETTLED, { 'if-none-match': '"other"' })).status, 200)

  const csv = await service.get(SETTLED + '&format=csv')
  t.match(csv.headers.etag, WEAK_TAG)
  t.not(csv.headers.etag, etag, 'another representation, another tag')
  t.equal((await raw(service.url + SETTLED + '&format=csv', { 'if-none-match': csv.headers.etag as string })).status, 304)
  const rows = await service.get(SETTLED + '&format=rows')
  t.not(rows.headers.etag, etag)
  t.not(rows.headers.etag, csv.headers.etag)
})

t.test('a repeated answer served from the cache is a 304: the tag names the data, not how this copy was made', async t => {
  const service = await startTestService(t, [studio])
  const fetched = await service.getUsage(SETTLED)
  const cached = await service.getUsage(SETTLED)
  t.same([fetched.json.sources[0]?.calls, fetched.json.sources[0]?.cachedCalls], [1, 0], 'the first copy called upstream')
  t.same([cached.json.sources[0]?.calls, cached.json.sources[0]?.cachedCalls], [0, 1], 'the second came from the cache')
  t.not(cached.text, fetched.text, 'so the two bodies differ')
  t.equal(cached.headers.etag, fetched.headers.etag, 'and their data does not')
  const revalidated = await raw(service.url + SETTLED, { 'if-none-match': fetched.headers.etag as string })
  t.equal(revalidated.status, 304)
  t.equal(revalidated.body.length, 0)
})

t.test('the same query with different data: 200 with another ETag; a provisional or incomplete answer must be revalidated', async t => {
  const service = await startTestService(t, [studio], { cache: false })
  const settled = await service.getUsage(SETTLED)
  const etag = settled.headers.etag as string
  service.simulators.studio!.faults.inject({ kind: 'server-error', status: 503 })
  const failed = await raw(service.url + SETTLED, { 'if-none-match': etag })
  t.equal(failed.status, 200, 'the data differs: the whole answer, not a 304')
  t.not(failed.headers.etag, etag)
  t.match(failed.headers.etag, WEAK_TAG)
  t.equal(failed.headers['cache-control'], 'private, no-cache', 'an incomplete answer is not final')

  const recent = await service.getUsage(RECENT)
  t.ok(recent.json.series.some(series => series.points.some(point => point.state === 'provisional')), 'provisional points',
    { found: recent.json.series.map(series => series.points.map(point => point.state)) })
  t.equal(recent.headers['cache-control'], 'private, no-cache')
  t.equal((await raw(service.url + RECENT, { 'if-none-match': recent.headers.etag as string })).status, 304, 'revalidation of unchanged data')
  t.equal((await service.getError('/usage?from=2026-11-08&to=2026-11-01')).headers.etag, undefined, 'errors carry no ETag')
})

t.test('a dashboard polling the embedded simulated providers: 304 for a final range, 200 with a new tag once a provisional one moves', async t => {
  const clock = fixedClock(TEST_NOW)
  const { app } = await build(t, { config: loadConfig({}), clock })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const poll = async (path: string, etag?: string) => raw(url + path, etag === undefined ? {} : { 'if-none-match': etag })

  // Shanghai days: the zone every simulated source aligns to, so the answer can be complete.
  const settledWeek = '/usage?from=2026-10-20&to=2026-10-27&tz=Asia/Shanghai&groupBy=source'
  const first = await poll(settledWeek)
  const answer = JSON.parse(first.body.toString()) as UsageResponse
  t.equal(first.status, 200)
  t.equal(answer.sources.length, 4, 'the four simulated sources')
  t.equal(answer.final, true, JSON.stringify(answer.warnings))
  t.equal(first.headers['cache-control'], 'private, max-age=3600')
  const etag = first.headers.etag as string
  t.match(etag, WEAK_TAG)
  for (let poll_ = 1; poll_ <= 3; poll_++) {
    clock.set(TEST_NOW + poll_ * 60_000)
    const again = await poll(settledWeek, etag)
    t.equal(again.status, 304, `poll ${poll_} a minute later: not modified`)
    t.equal(again.body.length, 0)
    t.equal(again.headers.etag, etag)
  }
  const unconditional = await poll(settledWeek)
  t.not(unconditional.body.toString(), first.body.toString(), 'a copy from the cache says so in its body')
  t.equal(unconditional.headers.etag, etag, 'with the same tag')

  clock.set(TEST_NOW)
  const today = '/usage?from=now/d&to=now%2B1d/d&granularity=hour&tz=Asia/Shanghai'
  const morning = await poll(today)
  t.equal(morning.headers['cache-control'], 'private, no-cache', 'provisional: revalidate every time')
  t.equal((await poll(today, morning.headers.etag as string)).status, 304, 'nothing moved yet')
  clock.set(TEST_NOW + 2 * 3_600_000)
  const later = await poll(today, morning.headers.etag as string)
  t.equal(later.status, 200, 'two hours on, the answer changed: the whole of it')
  t.match(later.headers.etag, WEAK_TAG)
  t.not(later.headers.etag, morning.headers.etag)
  t.equal(later.headers['cache-control'], 'private, no-cache')
})

t.test('CORS: allowed origins get the headers and a preflight; others get no Access-Control-Allow-Origin', async t => {
  const origin = 'https://billing.example.com'
  const service = await startTestService(t, [studio], { corsOrigins: [origin, 'http://localhost:5173'] })
  const preflight = { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
  const allowed = await raw(service.url + '/usage', preflight, 'OPTIONS')
  t.equal(allowed.status, 204)
  t.equal(allowed.headers['access-control-allow-origin'], origin)
  t.match(allowed.headers['access-control-allow-methods'], /GET/)
  t.match(allowed.headers['access-control-allow-headers'], /authorization/i)
  t.match(allowed.headers.vary, /origin/i)
  t.match(allowed.headers['x-request-id'], /./)

  const refused = await raw(service.url + '/usage', { ...preflight, origin: 'https://evil.example.net' }, 'OPTIONS')
  // The Fetch standard's CORS check fails without an Access-Control-Allow-Origin naming the page's origin, whatever
  // else the preflight says (the plugin still lists the methods): the browser refuses the call.
  t.equal(refused.status, 204)
  t.equal(refused.headers['access-control-allow-origin'], undefined)
  t.match(refused.headers['x-request-id'], /./)
  t.match(refused.headers.vary, /origin/i, 'the answer depends on Origin, so caches keep one per origin')

  const read = await service.get(SETTLED, { origin })
  t.equal(read.headers['access-control-allow-origin'], origin)
  t.match(read.headers['access-control-expose-headers'], /x-request-id/i)
  t.match(read.headers['access-control-expose-headers'], /etag/i)
  t.equal((await service.get(SETTLED, { origin: 'https://evil.example.net' })).headers['access-control-allow-origin'], undefined)
})

t.test('CORS with API keys: a preflight needs no key, the read does', async t => {
  const origin = 'https://billing.example.com'
  const key = 'k'.repeat(32)
  const service = await startTestService(t, [studio], { corsOrigins: [origin], apiKeys: new ApiKeySet([sha256(key)]) })
  const preflight = await raw(service.url + '/usage', { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }, 'OPTIONS')
  t.equal(preflight.status, 204)
  t.equal(preflight.headers['access-control-allow-origin'], origin)
  t.equal((await service.get(SETTLED, { origin })).status, 401)
  t.equal((await service.get(SETTLED, { origin, authorization: `Bearer ${key}` })).status, 200)
})

t.test('no origins configured: no CORS headers at all', async t => {
  const service = await startTestService(t, [studio])
  const read = await service.get(SETTLED, { origin: 'https://billing.example.com' })
  t.equal(read.headers['access-control-allow-origin'], undefined)
  const preflight = await raw(service.url + '/usage', { origin: 'https://billing.example.com', 'access-control-request-method': 'GET' }, 'OPTIONS')
  t.equal(preflight.headers['access-control-allow-origin'], undefined)
})

t.test('X-Request-Id on every answer, equal to the error body\'s requestId; a caller\'s id or trace-id is honoured and logged', async t => {
  const logs = captureLogs({ level: 'info' })
  const service = await startTestService(t, [studio], { logger: logs.logger })
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
  const ok = await service.get(SETTLED)
  t.match(ok.headers['x-request-id'], uuid)
  const invalid = await service.getError('/usage?from=2026-11-08&to=2026-11-01')
  t.equal(invalid.headers['x-request-id'], invalid.json.error.requestId)
  const missing = await service.getError('/nope')
  t.equal(missing.status, 404)
  t.equal(missing.headers['x-request-id'], missing.json.error.requestId)
  t.match(missing.headers['x-request-id'], uuid)

  const given = 'gw-01:abc.DEF_123-x'
  const echoed = await service.getError('/nope?given', { 'x-request-id': given })
  t.equal(echoed.headers['x-request-id'], given)
  t.equal(echoed.json.error.requestId, given)
  t.ok(logs.entries().some(entry => entry.reqId === given && entry.msg === 'incoming request'), 'the log lines carry it',
    { found: logs.entries().map(entry => [entry.reqId, entry.msg]) })

  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
  const traced = await service.get(SETTLED + '&traced', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` })
  t.equal(traced.headers['x-request-id'], traceId)
  t.ok(logs.entries().some(entry => entry.reqId === traceId && entry.msg === 'request completed'), 'the trace id is the request id',
    { found: logs.entries().map(entry => [entry.reqId, entry.msg]) })
  t.equal((await service.get('/healthz', { 'x-request-id': given, traceparent: `00-${traceId}-00f067aa0ba902b7-01` })).headers['x-request-id'], given,
    'X-Request-Id wins over traceparent')

  for (const insane of ['a'.repeat(129), 'two words', 'x"injected', '']) {
    const answer = await service.get('/healthz', { 'x-request-id': insane })
    t.match(answer.headers['x-request-id'], uuid, `${JSON.stringify(insane.slice(0, 20))} is replaced`)
  }
  for (const bad of [`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `ff-${traceId}-00f067aa0ba902b7-01`, `00-${traceId}-00f067aa0ba902b7-01-extra`, 'garbage']) {
    t.match((await service.get('/healthz', { traceparent: bad })).headers['x-request-id'], uuid, `traceparent ${bad} is not used`)
  }
})
