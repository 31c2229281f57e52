/** Liveness and readiness for orchestrators: cheap, no upstream calls. */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RedisHealth } from '../replicas/redis-connection.js'
import type { LedgerHealth } from '../ledger/ledger-connection.js'
import { errorResponses, EVERY_ROUTE_ERRORS, jsonResponse } from '../schemas/response-documents.js'
import { errorResponseSchema } from '../schemas/error-schema.js'

const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' })
const readySchema = z.object({
  status: z.literal('ready'),
  sources: z.number().int(),
  degraded: z.boolean().describe('true while a shared dependency (Redis, the usage ledger) is unreachable and the service runs without it'),
  redis: z.enum(['connecting', 'connected', 'degraded']).optional().describe('Only when replicas share through Redis'),
  ledger: z.enum(['connected', 'unavailable']).optional().describe('Only when a usage ledger is kept (USAGE_STORE_URL). unavailable: answers come from the providers, with a ledger_unavailable warning'),
  ledgerReason: z.string().optional().describe('Why the usage ledger is unavailable')
}).meta({ id: 'Ready', description: 'Sources are configured; sources says how many.' })
const notReadySchema = z.object({ status: z.literal('not_ready'), sources: z.number().int() }).meta({ id: 'NotReady', description: 'No source is configured.' })

export interface HealthOptions {
  isReady: () => boolean
  sourceCount: number
  /** Health of the Redis replicas share; null or absent when none is configured. */
  redisHealth?: () => RedisHealth | null
  /** Health of the usage ledger; null or absent when none is kept. */
  ledgerHealth?: () => LedgerHealth | null
}

/**
 * Redis or the usage ledger down is not an outage: each replica answers on its own share of every budget, so it stays ready and says
 * it is degraded. Orchestrators route on the status code; people and dashboards read `degraded`.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, options) => {
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
    const redis = options.redisHealth?.() ?? null
    const ledger = options.ledgerHealth?.() ?? null
    if (options.isReady()) {
      return {
        status: 'ready' as const,
        sources: options.sourceCount,
        degraded: redis === 'degraded' || ledger?.state === 'unavailable',
        ...redis === null ? {} : { redis },
        ...ledger === null ? {} : { ledger: ledger.state },
        ...ledger?.reason == null ? {} : { ledgerReason: ledger.reason }
      }
    }
    return reply.code(503).send({ status: 'not_ready' as const, sources: options.sourceCount })
  })
}
