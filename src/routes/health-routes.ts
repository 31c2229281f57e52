/** Liveness and readiness for orchestrators: cheap, no upstream calls. */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { errorResponses, EVERY_ROUTE_ERRORS, jsonResponse } from '../schemas/response-documents.js'
import { errorResponseSchema } from '../schemas/error-schema.js'

const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' })
const readySchema = z.object({ status: z.literal('ready'), sources: z.number().int() }).meta({ id: 'Ready', description: 'Sources are configured; sources says how many.' })
const notReadySchema = z.object({ status: z.literal('not_ready'), sources: z.number().int() }).meta({ id: 'NotReady', description: 'No source is configured.' })

export const healthRoutes: FastifyPluginAsync<{ isReady: () => boolean, sourceCount: number }> = async (app, options) => {
  const typed = app.withTypeProvider<ZodTypeProvider>()
  typed.get('/healthz', {
    schema: {
      tags: ['health'],
      operationId: 'getHealth',
      summary: 'The process is up',
      security: [],
      response: { 200: jsonResponse('The process is up.', healthSchema), ...errorResponses(EVERY_ROUTE_ERRORS) }
    }
  }, async () => ({ status: 'ok' as const }))

  const everyRouteErrors = errorResponses(EVERY_ROUTE_ERRORS)
  typed.get('/readyz', {
    schema: {
      tags: ['health'],
      operationId: 'getReadiness',
      summary: 'Sources are configured and the service accepts queries',
      security: [],
      response: {
        200: jsonResponse('The service accepts queries.', readySchema),
        ...everyRouteErrors,
        503: {
          description: `\`not_ready\` when no source is configured, or the error answer:\n${everyRouteErrors[503]?.description ?? ''}`,
          content: { 'application/json': { schema: z.union([notReadySchema, errorResponseSchema]) } }
        }
      }
    }
  }, async (_request, reply) => {
    if (options.isReady()) return { status: 'ready' as const, sources: options.sourceCount }
    return reply.code(503).send({ status: 'not_ready' as const, sources: options.sourceCount })
  })
}
