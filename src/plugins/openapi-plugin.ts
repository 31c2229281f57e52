/**
 * OpenAPI generated from the same zod schemas that validate requests, served at /openapi.json,
 * with an interactive page at /docs (its assets are served locally, no CDN).
 */
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'

export const OPENAPI_INFO = {
  title: 'Usage service',
  description: 'How much media processing the company used — per hour, day or month, across Alibaba Cloud and Tencent Cloud accounts — through one provider-neutral GET /usage.',
  version: '0.1.0'
}

export const openapiPlugin = fp(async (app: FastifyInstance) => {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: OPENAPI_INFO,
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key from USAGE_API_KEYS, sent as Authorization: Bearer <key>. Needed by every route ' +
              'except /healthz, /readyz, /docs and /openapi.json (and /metrics when USAGE_METRICS_PUBLIC=true) ' +
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
    transform: jsonSchemaTransform
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'openapi' })
