/** The routes around /usage: the OpenAPI contract, the docs page, the catalog, health, and errors for unknown routes. */
import { validate } from '@readme/openapi-parser'
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { generateOpenApiDocument } from '../../src/openapi/openapi-document.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { catalogResponseSchema } from '../../src/schemas/catalog-schema.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import type { ServedOpenApi } from '../support/served-openapi.js'
import { startTestService } from '../support/test-service.js'

const service = await startTestService(t, [{ id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }])

t.test('the OpenAPI document is valid and the checked-in copy is current', async t => {
  const generated = await generateOpenApiDocument()
  const result = await validate(JSON.parse(generated))
  t.ok(result.valid, JSON.stringify(result).slice(0, 500))
  const checkedIn = await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')
  t.equal(checkedIn, generated, 'openapi/openapi.json is stale: run npm run openapi')
  // The served document is the generated one, just found valid.
  const served = (await service.get('/openapi.json')).json as ServedOpenApi
  t.same(served.paths['/usage']?.get?.parameters?.map(parameter => parameter.name).slice(0, 4), ['from', 'to', 'granularity', 'tz'])
})

t.test('the interactive docs page is served locally, under the service\'s name, and reads /openapi.json', async t => {
  const page = await service.get('/docs/')
  t.equal(page.status, 200)
  t.match(page.text, /swagger/i)
  t.match(page.text, /<title>Usage service — API<\/title>/)
  const initializer = await service.get('/docs/static/swagger-initializer.js')
  const documentUrl = /"urls":\[\{"url":"([^"]+)"/.exec(initializer.text)?.[1]
  t.equal(documentUrl, '../openapi.json', 'the page loads the document clients are given')
  const loaded = await service.get(new URL(documentUrl ?? '', `${service.url}/docs/`).pathname)
  t.same(loaded.json, (await service.get('/openapi.json')).json)
})

t.test('the catalog lists metrics with units and provider fields, kinds with limits, and sources without secrets', async t => {
  const response = await service.getCatalog()
  t.equal(response.status, 200)
  t.ok(catalogResponseSchema.safeParse(response.json).success)
  const studio = response.json.metrics.find(metric => metric.name === 'studio.output.duration')
  t.same(studio?.reportedBy[0]?.providerFields, ['OutputLdDuration', 'OutputSdDuration', 'OutputHdDuration'])
  t.equal(studio?.unit, 'second')
  const kind = response.json.kinds.find(entry => entry.kind === 'aliyun.live-producer')
  t.match(kind, { maxSpanSeconds: 31 * 86400, lookbackDays: 90, defaultQps: 5, nativeBuckets: 'hour (UTC)' })
  t.match(response.json.sources, [{ id: 'studio', kind: 'aliyun.live-producer', simulated: true }])
  t.notMatch(response.text, /test-secret/)
})

t.test('health and readiness', async t => {
  t.same((await service.get('/healthz')).json, { status: 'ok' })
  t.same((await service.get('/readyz')).json, { status: 'ready', sources: 1, degraded: false })
})

t.test('unknown routes and parameters are JSON errors, not HTML or 500s', async t => {
  const missing = await service.getError('/nope')
  t.equal(missing.status, 404)
  t.equal(missing.json.error.code, 'NOT_FOUND')
  t.ok(missing.json.error.requestId)
  const catalogParameter = await service.getError('/usage/catalog?x=1')
  t.equal(catalogParameter.status, 400)
  t.equal(catalogParameter.json.error.code, 'INVALID_QUERY')
})
