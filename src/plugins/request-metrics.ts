/**
 * In-flight gauge and latency of every request, by route template (not raw URL, so label values stay few), and /usage
 * queries that ended in an error answer: a 5xx other than the shutdown gate's 503, which answers before the query is
 * looked at.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { countAnswer, type UsageMetrics } from '../observability/usage-metrics.js'

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
    if (route === '/usage' && reply.statusCode >= 500 && reply.statusCode !== 503) countAnswer(metrics, 'failed')
  })
}, { name: 'request-metrics' })
