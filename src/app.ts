/**
 * The app as a Fastify instance built from a runtime: plugins first (docs, errors), then routes.
 * `server.ts` only listens; tests build this and use inject() or listen on port 0.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Clock } from './clock.js'
import { errorHandlerPlugin } from './plugins/error-handler.js'
import { openapiPlugin } from './plugins/openapi-plugin.js'
import { catalogRoute } from './routes/catalog-route.js'
import { healthRoutes } from './routes/health-routes.js'
import { usageRoute } from './routes/usage-route.js'
import { instrumentRequests, metricsRoute } from './routes/metrics-route.js'
import { UsageMetrics } from './observability/usage-metrics.js'
import type { RuntimeSource } from './usage/source-executor.js'

export interface AppOptions {
  sources: readonly RuntimeSource[]
  clock: Clock
  maxBuckets: number
  requestTimeoutMs: number
  /** The runtime's metrics; a fresh registry when omitted. */
  metrics?: UsageMetrics
  fastify?: FastifyServerOptions
}

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ...options.fastify }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  const metrics = options.metrics ?? new UsageMetrics()
  instrumentRequests(app, metrics)
  await app.register(errorHandlerPlugin)
  await app.register(openapiPlugin)
  await app.register(healthRoutes, { isReady: () => options.sources.length > 0, sourceCount: options.sources.length })
  await app.register(catalogRoute, { sources: options.sources })
  await app.register(metricsRoute, { metrics })
  await app.register(usageRoute, {
    sources: options.sources,
    clock: options.clock,
    maxBuckets: options.maxBuckets,
    requestTimeoutMs: options.requestTimeoutMs
  })
  return app
}
