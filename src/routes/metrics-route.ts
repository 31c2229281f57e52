/** GET /metrics in Prometheus text format; the request-metrics plugin times every request. */
import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import type { UsageMetrics } from '../observability/usage-metrics.js'
import { errorResponses, EVERY_ROUTE_ERRORS } from '../schemas/response-documents.js'

export const metricsRoute: FastifyPluginAsync<{ metrics: UsageMetrics }> = async (app, { metrics }) => {
  app.get('/metrics', {
    schema: {
      tags: ['health'],
      operationId: 'getMetrics',
      summary: 'Prometheus metrics of this instance',
      description: 'Needs an API key like every route, unless the deployment sets `USAGE_METRICS_PUBLIC=true`.',
      response: {
        200: {
          description: 'The Prometheus text exposition format (version 0.0.4).',
          content: { 'text/plain': { schema: z.string() } }
        },
        ...errorResponses([...EVERY_ROUTE_ERRORS, 'UNAUTHORIZED'])
      }
    }
  }, async (_request, reply) => {
    reply.type(metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}
