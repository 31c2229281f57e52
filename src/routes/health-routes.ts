/** Liveness and readiness for orchestrators: cheap, no upstream calls. */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RedisHealth } from '../replicas/redis-connection.js'

export interface HealthOptions {
  isReady: () => boolean
  sourceCount: number
  /** Health of the Redis replicas share; null or absent when none is configured. */
  redisHealth?: () => RedisHealth | null
}

/**
 * Redis down is not an outage: each replica answers on its own share of every budget, so it stays ready and says
 * it is degraded. Orchestrators route on the status code; people and dashboards read `degraded`.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  const typed = app.withTypeProvider<ZodTypeProvider>()
  typed.get('/healthz', {
    schema: { tags: ['health'], summary: 'The process is up', security: [], response: { 200: z.object({ status: z.literal('ok') }) } }
  }, async () => ({ status: 'ok' as const }))

  typed.get('/readyz', {
    schema: {
      tags: ['health'],
      summary: 'Sources are configured and the service accepts queries',
      security: [],
      response: {
        200: z.object({
          status: z.literal('ready'),
          sources: z.number().int(),
          degraded: z.boolean().describe('true while a shared dependency (Redis) is unreachable and the service runs without it'),
          redis: z.enum(['connecting', 'connected', 'degraded']).optional().describe('Only when replicas share through Redis')
        }),
        503: z.object({ status: z.literal('not_ready'), sources: z.number().int() })
      }
    }
  }, async (_request, reply) => {
    const redis = options.redisHealth?.() ?? null
    if (options.isReady()) {
      return { status: 'ready' as const, sources: options.sourceCount, degraded: redis === 'degraded', ...redis === null ? {} : { redis } }
    }
    return reply.code(503).send({ status: 'not_ready' as const, sources: options.sourceCount })
  })
}
