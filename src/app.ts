/**
 * The app as a Fastify instance built from a runtime: plugins first (request context, compression, CORS, shutdown
 * gate, request metrics, errors, API keys, docs, the usage service), then routes, the explorer page last. `server.ts` only listens; tests build this and use inject() or
 * listen on port 0.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Clock } from './clock.js'
import type { ServiceConfig } from './config/load-config.js'
import type { Runtime } from './runtime.js'
import { serverOptions } from './http/server-options.js'
import { ADAPTERS } from './providers/registry.js'
import { UsageMetrics } from './observability/usage-metrics.js'
import { apiKeyAuthPlugin } from './plugins/api-key-auth.js'
import { compressionPlugin } from './plugins/compression.js'
import { corsPlugin } from './plugins/cors.js'
import { errorHandlerPlugin } from './plugins/error-handler.js'
import { openapiPlugin } from './plugins/openapi-plugin.js'
import { requestContextPlugin } from './plugins/request-context.js'
import { requestMetricsPlugin } from './plugins/request-metrics.js'
import { shutdownGatePlugin } from './plugins/shutdown-gate.js'
import { usageServicePlugin } from './plugins/usage-service.js'
import { catalogRoute } from './routes/catalog-route.js'
import { healthRoutes } from './routes/health-routes.js'
import { metricsRoute } from './routes/metrics-route.js'
import { usageRoute } from './routes/usage-route.js'
import { explorerRoute } from './routes/explorer-route.js'
import { ApiKeySet } from './security/api-keys.js'
import { SecretRedactor } from './security/secret-redactor.js'
import { buildCatalog, type Catalog } from './usage/catalog.js'
import { BUILT_IN_QUERY_DEFAULTS, type QueryDefaults } from './schemas/usage-query-schema.js'
import type { QueryLimits } from './usage/query-limits.js'
import type { CorsOrigins } from './http/cors-origins.js'
import type { RuntimeSource } from './usage/source-executor.js'
import type { LedgerConnection } from './ledger/ledger-connection.js'

export interface AppOptions {
  sources: readonly RuntimeSource[]
  clock: Clock
  requestTimeoutMs: number
  /** Time a client has to send the request line and headers; 10 s (HTTP_LIMITS) unless given. */
  headersTimeoutMs?: number
  /** Bounds on range, buckets, upstream calls and points per request; the defaults where omitted. */
  limits?: Partial<QueryLimits>
  /** tz and granularity of a query that names none; UTC and day unless given. */
  queryDefaults?: QueryDefaults
  /** Accepted API keys; none (the default) leaves every route open, with a warning at boot. */
  apiKeys?: ApiKeySet
  /** true: /metrics needs no key even when keys are configured. */
  metricsPublic?: boolean
  /** Browser origins allowed to read answers; none (the default): no CORS headers. */
  corsOrigins?: CorsOrigins
  /** Health of the Redis replicas share, for /readyz; none configured when omitted. */
  redisHealth?: Runtime['redisHealth']
  /** The usage ledger, read first by every query; none (the default) when the deployment keeps none. */
  ledger?: LedgerConnection | null
  /** Scrubs secrets from what the app answers; by default one that knows the sources' secrets. */
  redactor?: SecretRedactor
  /** The runtime's metrics; a fresh registry when omitted. */
  metrics?: UsageMetrics
  /** Metrics, dimensions and kinds the app documents and accepts; built from the registered adapters when omitted. */
  catalog?: Catalog
  /** Overrides of the server options (logger, timeouts); the hardened defaults otherwise. */
  fastify?: FastifyServerOptions
}

/** What a loaded configuration and its runtime make of the app; server.ts and the benchmark build the same one. */
export function appOptionsFor (config: ServiceConfig, runtime: Runtime, clock: Clock): AppOptions {
  return {
    sources: runtime.sources,
    metrics: runtime.metrics,
    clock,
    requestTimeoutMs: config.requestTimeoutMs,
    limits: queryLimitsOf(config),
    queryDefaults: config.queryDefaults,
    apiKeys: new ApiKeySet(config.apiKeyDigests),
    metricsPublic: config.metricsPublic,
    corsOrigins: config.corsOrigins,
    redisHealth: runtime.redisHealth,
    ledger: runtime.ledger
  }
}

/** The query limits a configuration sets, the bucket limit among them. */
export function queryLimitsOf (config: ServiceConfig): QueryLimits {
  return { ...config.limits, maxBuckets: config.maxBuckets }
}

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    ...serverOptions({ requestTimeoutMs: options.requestTimeoutMs, headersTimeoutMs: options.headersTimeoutMs }),
    ...options.fastify
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  const metrics = options.metrics ?? new UsageMetrics()
  const catalog = options.catalog ?? buildCatalog(ADAPTERS)
  const redactor = options.redactor ?? SecretRedactor.forCredentials(options.sources.map(source => source.config.credentials))
  await app.register(requestContextPlugin)
  await app.register(compressionPlugin)
  await app.register(corsPlugin, { origins: options.corsOrigins ?? [] })
  await app.register(shutdownGatePlugin)
  await app.register(requestMetricsPlugin, { metrics })
  await app.register(errorHandlerPlugin, { redactor })
  await app.register(apiKeyAuthPlugin, { keys: options.apiKeys ?? new ApiKeySet([]), metricsPublic: options.metricsPublic ?? false })
  await app.register(openapiPlugin)
  await app.register(usageServicePlugin, {
    catalog,
    metrics,
    sources: options.sources,
    clock: options.clock,
    requestTimeoutMs: options.requestTimeoutMs,
    limits: options.limits ?? {},
    redactor,
    ledger: options.ledger ?? null
  })
  const ledger = options.ledger ?? null
  await app.register(healthRoutes, {
    isReady: () => options.sources.length > 0,
    sourceCount: options.sources.length,
    redisHealth: options.redisHealth,
    ledgerHealth: () => ledger?.status ?? null
  })
  await app.register(catalogRoute, { catalog, sources: options.sources, ledger })
  await app.register(metricsRoute, { metrics })
  await app.register(usageRoute, { catalog, clock: options.clock, queryDefaults: options.queryDefaults ?? BUILT_IN_QUERY_DEFAULTS })
  await app.register(explorerRoute, { queryDefaults: options.queryDefaults ?? BUILT_IN_QUERY_DEFAULTS })
  return app
}
