/** What client generators rely on in the OpenAPI document: operation names, named types, typed parameters, errors. */
import t from 'tap'
import { ERROR_CODES } from '../../src/errors.js'
import { generateOpenApiDocument } from '../../src/openapi/openapi-document.js'
import { GRANULARITIES } from '../../src/time/index.js'
import type { ServedOpenApi } from '../support/served-openapi.js'

const document: ServedOpenApi = JSON.parse(await generateOpenApiDocument())
const operations = Object.entries(document.paths)
  .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })))
const usage = document.paths['/usage']!.get!

t.test('every operation has its own operationId', async t => {
  t.same(Object.fromEntries(operations.map(({ path, operation }) => [path, operation.operationId])), {
    '/healthz': 'getHealth',
    '/readyz': 'getReadiness',
    '/usage/catalog': 'getUsageCatalog',
    '/metrics': 'getMetrics',
    '/usage': 'getUsage'
  })
})

t.test('answers are named component schemas, each referred to, none left as an unused copy', async t => {
  const schemas = Object.keys(document.components.schemas)
  for (const name of ['UsageResponse', 'UsageSeries', 'UsagePoint', 'SourceReport', 'UsageWarning', 'UsageRows', 'UsageRow', 'ErrorResponse', 'Catalog']) {
    t.ok(schemas.includes(name), `${name} is a component`)
  }
  t.same(schemas.filter(name => name.endsWith('Input')), [], 'no unreferenced input copies')
  const text = JSON.stringify({ ...document, components: undefined })
  const nested = JSON.stringify(document.components.schemas)
  for (const name of schemas) t.ok(text.includes(`"#/components/schemas/${name}"`) || nested.includes(`"#/components/schemas/${name}"`), `${name} is referred to`)
  t.same(usage.responses[200]?.content?.['application/json']?.schema.anyOf, [{ $ref: '#/components/schemas/UsageResponse' }, { $ref: '#/components/schemas/UsageRows' }],
    'format=json and format=rows answers, told apart by the format asked for')
  t.same(document.components.schemas.UsageRows?.items, { $ref: '#/components/schemas/UsageRow' })
  t.same(document.components.schemas.UsageRow?.required, ['start', 'end', 'metric', 'unit', 'value', 'state'])
  t.same(document.components.schemas.UsageSeries?.properties?.points?.items, { $ref: '#/components/schemas/UsagePoint' })
})

t.test('query parameters say what a client may send', async t => {
  const parameter = (name: string) => usage.parameters?.find(entry => entry.name === name)
  t.same(parameter('granularity')?.schema, { type: 'string', enum: [...GRANULARITIES] })
  t.same(parameter('format')?.schema, { type: 'string', enum: ['json', 'csv', 'rows', 'focus'] })
  t.same(parameter('strict')?.schema, { type: 'boolean' })
  t.same(parameter('timeout')?.schema, { type: 'number', minimum: 1, maximum: 120 })
  for (const name of ['from', 'to']) {
    t.same(parameter(name)?.schema, { type: 'string' }, `${name} takes several forms, so it is a string`)
    t.equal(parameter(name)?.required, true)
  }
  t.match(parameter('from')?.description, /RFC 3339 with offset.*a date.*epoch milliseconds.*relative time/)
  t.match(parameter('to')?.description, /same forms as from/)
})

t.test('instants in answers are date-time strings (RFC 3339), without a regular expression for generators to copy', async t => {
  const schemas = document.components.schemas
  const instants = [schemas.UsageResponse?.properties?.from, schemas.UsageResponse?.properties?.to, schemas.UsagePoint?.properties?.start,
    schemas.UsagePoint?.properties?.end, schemas.UsageRow?.properties?.start, schemas.UsageRow?.properties?.end]
  for (const instant of instants) t.match(instant, { type: 'string', format: 'date-time', pattern: undefined })
})

t.test('the CSV answers (csv and focus) are the text/csv content of the 200, each described in Markdown', async t => {
  const csv = usage.responses[200]?.content?.['text/csv']?.schema
  t.equal(csv?.type, 'string')
  t.match(csv?.description, /\*\*`format=csv`\*\*.*`start,end,metric,unit,<groupBy columns>,value,state`/)
  t.match(csv?.description, /\*\*`format=focus`\*\*[^]*`ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ConsumedQuantity,[^`]*,x_RowId`/)
  t.match(usage.responses[200]?.description, /`format=csv`/)
  t.match(usage.responses[200]?.description, /`UsageRows` for `format=rows`/)
})

t.test('every error status lists the codes it carries, with the error schema', async t => {
  t.same(Object.keys(usage.responses), ['200', '304', '400', '401', '500', '502', '503', '504'])
  for (const { path, operation } of operations) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (Number(status) < 400) continue
      t.match(JSON.stringify(response.content?.['application/json']?.schema), '#/components/schemas/ErrorResponse', `${path} ${status}`)
      const codes = [...response.description.matchAll(/^- `([A-Z_]+)`/gm)].map(match => match[1] as keyof typeof ERROR_CODES)
      t.ok(codes.length > 0, `${path} ${status} names its codes`)
      for (const code of codes) t.equal(ERROR_CODES[code].status, Number(status), `${path}: ${code} is answered as ${status}`)
    }
  }
  t.ok(document.paths['/healthz']?.get?.responses[400], 'even health answers a malformed request with 400')
})

t.test('servers and license are stated', async t => {
  t.equal(document.servers?.[0]?.url, '/')
  t.same(document.info.license, { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' })
})
