/**
 * One error shape everywhere, through real HTTP: every error answer is { error: { code, message, details, requestId } }
 * with details a list of objects, whichever path produced it (validation, query bounds, selection, auth, routing,
 * the static files of /docs, a request without Host).
 */
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { errorResponseSchema } from '../../src/schemas/error-schema.js'
import { ApiKeySet, parseApiKeyEntries } from '../../src/security/api-keys.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { startTestService } from '../support/test-service.js'

const KEY = 'error-shape-test-key-0123456789'
const service = await startTestService(t, [{ id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }], {
  apiKeys: new ApiKeySet(parseApiKeyEntries(KEY)),
  limits: { maxUpstreamCalls: 1 }
})
const { port } = new URL(service.url)
const authorized = { authorization: `Bearer ${KEY}` }

/** Sends one raw request (the connection stays open for the answer) and reads until the server closes. */
function raw (request: string): Promise<{ status: number, body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1')
    let received = ''
    socket.on('data', chunk => { received += chunk.toString('latin1') })
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n')
      let json: unknown = null
      try { json = JSON.parse(body) } catch {}
      resolve({ status: Number(head.split(' ')[1]), body: json })
    })
    socket.on('error', reject)
    socket.write(request)
  })
}

function checkShape (t: Test, body: unknown, what: string) {
  const parsed = errorResponseSchema.safeParse(body)
  t.ok(parsed.success, `${what}: the documented error shape (${JSON.stringify(body)})`)
  const details = detailsOf(body)
  t.ok(Array.isArray(details), `${what}: details is a list`)
  t.same((Array.isArray(details) ? details : []).filter((detail: unknown) => !(typeof detail === 'object' && detail !== null && !Array.isArray(detail))), [], `${what}: of objects`)
}

/** `error.details` of any body: read without the schema, whose check may just have failed. */
function detailsOf (body: unknown): unknown {
  const error: unknown = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined
  return typeof error === 'object' && error !== null && 'details' in error ? error.details : undefined
}

t.test('details is a list of objects naming a parameter or a source, for every code', async t => {
  const cases: Array<[string, Record<string, string>, number, string, unknown]> = [
    ['/usage?from=2026-11-01&to=2026-11-08&tz=Mars/Olympus', authorized, 400, 'INVALID_QUERY', [{ parameter: 'tz', message: /IANA/ }]],
    ['/usage?from=2026-08-01&to=2026-11-01', authorized, 400, 'QUERY_TOO_LARGE', [{ parameter: 'from,to,source,filters', upstreamCalls: 3, maxUpstreamCalls: 1 }]],
    ['/usage?from=2026-11-01&to=2026-11-08&tz=Asia/Kolkata', authorized, 400, 'UNALIGNED_QUERY', [{ source: 'studio', message: /./, suggestedZones: Array }]],
    ['/usage?from=2026-11-01&to=2026-11-08&provider=tencent', authorized, 400, 'NO_SOURCES', [{ source: 'studio', kind: 'aliyun.live-producer', message: /./ }]],
    ['/usage?from=2026-11-01&to=2026-11-08', {}, 401, 'UNAUTHORIZED', []],
    ['/nope', authorized, 404, 'NOT_FOUND', []]
  ]
  for (const [path, headers, status, code, details] of cases) {
    const response = await service.getError(path, headers)
    t.equal(response.status, status, path)
    t.match(response.json, { error: { code, details, requestId: /./ } }, path)
    if (Array.isArray(details) && details.length === 0) t.same(response.json.error.details, [], `${path}: empty when the message says all`)
    checkShape(t, response.json, path)
  }
})

t.test('a request without Host: a 400 in the documented shape, not an empty body', async t => {
  const response = await raw('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n')
  t.equal(response.status, 400)
  t.match(response.body, { error: { code: 'INVALID_REQUEST', message: /Host/, details: [], requestId: /./ } })
  checkShape(t, response.body, 'no Host')
  const old = await raw('GET /healthz HTTP/1.0\r\n\r\n')
  t.equal(old.status, 200, 'HTTP/1.0 does not require Host')
})

t.test('a path climbing out of the /docs files is a documented 404, whatever its encoding', async t => {
  for (const path of ['/docs/static/../../package.json', '/docs/static/%2e%2e/%2e%2e/package.json', '/docs/static/%2E%2E/%2E%2E/package.json', '/docs/static/..%2f..%2fpackage.json', '/docs/../package.json']) {
    const response = await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nConnection: close\r\n\r\n`)
    t.equal(response.status, 404, path)
    t.match(response.body, { error: { code: 'NOT_FOUND', details: [], requestId: /./ } }, path)
    checkShape(t, response.body, path)
  }
  const page = await service.get('/docs/static/index.css')
  t.equal(page.status, 200, 'the files themselves are still served')
})
