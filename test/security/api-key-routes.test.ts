/** Routes behind API keys: what needs a key, what stays public, and how a refusal looks. */
import { createHash } from 'node:crypto'
import t from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { errorResponseSchema } from '../../src/schemas/error-schema.js'
import { ApiKeySet, parseApiKeyEntries } from '../../src/security/api-keys.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { captureLogs } from '../support/log-capture.js'
import type { ServedOpenApi } from '../support/served-openapi.js'
import { startTestService } from '../support/test-service.js'

const PLAIN = 'usage-dashboard-key-0123456789'
const HASHED = 'billing-run-key-9876543210abcdef'
const keys = new ApiKeySet(parseApiKeyEntries(`${PLAIN},sha256:${createHash('sha256').update(HASHED).digest('hex')}`))
const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const USAGE = '/usage?from=2026-11-01&to=2026-11-03'
const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

t.test('with keys: protected routes answer 401 in the error shape with a Bearer challenge', async t => {
  const service = await startTestService(t, [studio], { apiKeys: keys })
  for (const path of [USAGE, '/usage/catalog', '/metrics', '/nope', '/HEALTHZ', '/healthz/../usage', '//usage', '/docs/../usage/catalog']) {
    const response = await service.getError(path)
    t.equal(response.status, 401, path)
    t.ok(errorResponseSchema.safeParse(response.json).success, `${path}: the documented error shape`)
    t.equal(response.json.error.code, 'UNAUTHORIZED', path)
    t.ok(response.json.error.requestId, `${path}: a request id`)
    t.equal(response.headers['www-authenticate'], 'Bearer realm="usage-service"', path)
    t.match(response.json.error.message, /API key is required/)
  }
  const wrong = await service.getError(USAGE, bearer(PLAIN + 'x'))
  t.equal(wrong.status, 401)
  t.equal(wrong.headers['www-authenticate'], 'Bearer realm="usage-service", error="invalid_token"')
  t.match(wrong.json.error.message, /not valid/)
  for (const header of [`Basic ${PLAIN}`, PLAIN, `Bearer ${PLAIN} ${PLAIN}`, `sha256:${createHash('sha256').update(HASHED).digest('hex')}`]) {
    const response = await service.get(USAGE, { authorization: header })
    t.equal(response.status, 401, header)
    t.notMatch(response.text, PLAIN, 'the presented key is not echoed')
  }
})

t.test('with keys: a valid plain or hashed key passes; health, readiness and the docs need none', async t => {
  const service = await startTestService(t, [studio], { apiKeys: keys })
  t.equal((await service.get(USAGE, bearer(PLAIN))).status, 200)
  t.equal((await service.get(USAGE, { authorization: `bearer ${HASHED}` })).status, 200)
  t.equal((await service.get('/usage/catalog', bearer(HASHED))).status, 200)
  t.equal((await service.get('/metrics', bearer(PLAIN))).status, 200)
  for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs', '/docs/', '/docs/json']) {
    const response = await service.get(path)
    t.ok(response.status < 400, `${path} is public (${response.status})`)
  }
})

t.test('USAGE_METRICS_PUBLIC: /metrics without a key, everything else still protected', async t => {
  const service = await startTestService(t, [studio], { apiKeys: keys, metricsPublic: true })
  t.equal((await service.get('/metrics')).status, 200)
  t.equal((await service.get(USAGE)).status, 401)
})

t.test('without keys: every route is open and the boot log says so loudly', async t => {
  const logs = captureLogs()
  const service = await startTestService(t, [studio], { logger: logs.logger })
  t.equal((await service.get(USAGE)).status, 200)
  const warning = logs.entries().find(entry => entry.level === 40 && /USAGE_API_KEYS is not set/.test(entry.msg ?? ''))
  t.ok(warning, 'a warning at boot')
  t.match(warning?.msg, /EVERY ROUTE IS OPEN/)
})

t.test('the OpenAPI document describes the bearer scheme, and health routes as open', async t => {
  const service = await startTestService(t, [studio], { apiKeys: keys })
  const document = (await service.get('/openapi.json')).json as ServedOpenApi
  t.match(document.components.securitySchemes?.apiKey, { type: 'http', scheme: 'bearer' })
  t.same(document.security, [{ apiKey: [] }])
  t.same(document.paths['/healthz']?.get?.security, [])
  t.same(document.paths['/readyz']?.get?.security, [])
  t.ok(document.paths['/usage']?.get?.responses['401'], '/usage documents its 401')
})
