/** In-flight gauge and latency of every request, by route template (not raw URL, so label values stay few). */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { UsageMetrics } from '../observability/usage-metrics.js'

export const requestMetricsPlugin = fp<{ metrics: UsageMetrics }>(async (app: FastifyInstance, { metrics }) => {
  app.addHook('onRequest', async request => {
    metrics.inFlightRequests.inc()
    ;(request as { startedAt?: number }).startedAt = performance.now()
  })
  app.addHook('onResponse', async (request, reply) => {
    metrics.inFlightRequests.dec()
    const started = (request as { startedAt?: number }).startedAt ?? performance.now()
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.requestLatency.observe({ route, status: String(reply.statusCode) }, (performance.now() - started) / 1000)
  })
}, { name: 'request-metrics' })
