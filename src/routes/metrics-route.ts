/** GET /metrics in Prometheus text format, plus the hooks that time every request. */
import type { FastifyPluginAsync } from 'fastify'
import { countAnswer, type UsageMetrics } from '../observability/usage-metrics.js'

export const metricsRoute: FastifyPluginAsync<{ metrics: UsageMetrics }> = async (app, { metrics }) => {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}

/**
 * In-flight gauge and latency by route template (not raw URL, so label values stay few), and /usage queries that
 * ended in an error answer: a 5xx other than the shutdown gate's 503, which answers before the query is looked at.
 */
export function instrumentRequests (app: import('fastify').FastifyInstance, metrics: UsageMetrics): void {
  app.addHook('onRequest', async request => {
    metrics.inFlightRequests.inc()
    ;(request as { startedAt?: number }).startedAt = performance.now()
  })
  app.addHook('onResponse', async (request, reply) => {
    metrics.inFlightRequests.dec()
    const started = (request as { startedAt?: number }).startedAt ?? performance.now()
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.requestLatency.observe({ route, status: String(reply.statusCode) }, (performance.now() - started) / 1000)
    if (route === '/usage' && reply.statusCode >= 500 && reply.statusCode !== 503) countAnswer(metrics, 'failed')
  })
}
