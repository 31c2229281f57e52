/** GET /metrics in Prometheus text format; the request-metrics plugin times every request. */
import type { FastifyPluginAsync } from 'fastify'
import type { UsageMetrics } from '../observability/usage-metrics.js'

export const metricsRoute: FastifyPluginAsync<{ metrics: UsageMetrics }> = async (app, { metrics }) => {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}
