/** Liveness and readiness for orchestrators: cheap, no upstream calls. */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'

export const healthRoutes: FastifyPluginAsync<{ isReady: () => boolean, sourceCount: number }> = async (app, options) => {
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
        200: z.object({ status: z.literal('ready'), sources: z.number().int() }),
        503: z.object({ status: z.literal('not_ready'), sources: z.number().int() })
      }
    }
  }, async (_request, reply) => {
    if (options.isReady()) return { status: 'ready' as const, sources: options.sourceCount }
    return reply.code(503).send({ status: 'not_ready' as const, sources: options.sourceCount })
  })
}
