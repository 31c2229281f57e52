/**
 * OpenAPI generated from the same zod schemas that validate requests, served at /openapi.json,
 * with an interactive page at /docs (its assets are served locally, no CDN) that links back to the explorer at /.
 */
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { withoutUnreferencedSchemas } from '../openapi/unreferenced-schemas.js'

export const OPENAPI_INFO = {
  title: 'Usage service',
  description: 'How much media processing the company used — per hour, day or month, across Alibaba Cloud and Tencent Cloud accounts — through one provider-neutral GET /usage.',
  version: '0.1.0',
  // Not open source: the license object says so, rather than naming a public license.
  license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' }
}

/** The first server is the instance serving the document, so the docs page's requests go back to it. */
const SERVERS = [
  { url: '/', description: 'The instance serving this document' },
  {
    url: 'http://{host}',
    description: 'An instance named by its host and port; by default a local `npm start`',
    variables: { host: { default: 'localhost:3000' } }
  }
]

/** A link from the docs page back to the explorer (GET /), above Swagger UI; '../' is / from /docs and /docs/. */
const EXPLORER_LINK_SCRIPT = `(function () {
  function addLink () {
    var link = document.createElement('a')
    link.href = '../'
    link.className = 'explorer-link'
    link.textContent = '\\u2190 Usage explorer (charts of GET /usage)'
    document.body.insertBefore(link, document.body.firstChild)
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', addLink)
  else addLink()
})()
`
const EXPLORER_LINK_STYLE = '.explorer-link { display: block; padding: 8px 20px; font: 600 15px sans-serif; color: #005a9c; background: #f3f7fb; border-bottom: 1px solid #d0dbe6; }\n'

export const openapiPlugin = fp(async (app: FastifyInstance) => {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: SERVERS,
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key from USAGE_API_KEYS, sent as Authorization: Bearer <key>. Needed by every route ' +
              'except /healthz, /readyz, /docs, /openapi.json, the explorer page (/ and its files under /explorer/) ' +
              '(and /metrics when USAGE_METRICS_PUBLIC=true) ' +
              'when the service has keys configured; a missing or wrong key is a 401 UNAUTHORIZED.'
          }
        }
      },
      security: [{ apiKey: [] }],
      tags: [
        { name: 'usage', description: 'Usage queries' },
        { name: 'health', description: 'Liveness and readiness' }
      ]
    },
    transform: jsonSchemaTransform,
    // Schemas with a `.meta({ id })` become named components, so generated clients get named types.
    transformObject: documentation => withoutUnreferencedSchemas(jsonSchemaTransformObject(documentation))
  })
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    theme: {
      title: `${OPENAPI_INFO.title} — API`,
      js: [{ filename: 'explorer-link.js', content: EXPLORER_LINK_SCRIPT }],
      css: [{ filename: 'explorer-link.css', content: EXPLORER_LINK_STYLE }]
    },
    // `urls` (rather than the page's own ./json) makes the page read the document clients are given.
    uiConfig: { urls: [{ url: '../openapi.json', name: OPENAPI_INFO.title }] }
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'openapi' })
