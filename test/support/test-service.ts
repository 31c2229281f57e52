/**
 * Starts the real app on loopback in front of simulated providers: real HTTP, real signing, real adapters.
 * Tests talk to it with undici, as a caller would.
 */
import type { Test } from 'tap'
import { request } from 'undici'
import type { FastifyBaseLogger } from 'fastify'
import { fixedClock } from '../../src/clock.js'
import type { RunningSimulator, SimulatedAccount, SimulatorStarter } from '../../src/simulators/index.js'
import type { SourceAdapter, SourceConfig } from '../../src/usage/source-adapter.js'
import type { UsageMetrics } from '../../src/observability/usage-metrics.js'
import type { RetryPolicy } from '../../src/usage/retry-policy.js'
import type { ExecutorServices } from '../../src/usage/source-executor.js'
import type { Runtime, RuntimeOverrides } from '../../src/runtime.js'
import type { ApiKeySet } from '../../src/security/api-keys.js'
import type { CorsOrigins } from '../../src/http/cors-origins.js'
import type { QueryLimits } from '../../src/usage/query-limits.js'
import { loadConfig } from '../../src/config/load-config.js'
import { catalogResponseSchema, type CatalogResponse } from '../../src/schemas/catalog-schema.js'
import { errorResponseSchema } from '../../src/schemas/error-schema.js'
import { usageResponseSchema } from '../../src/schemas/usage-response-schema.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'
import type { z } from 'zod'
import { build } from './build.js'
import { checkedBody } from './checked-body.js'
import type { QueryDefaults } from '../../src/schemas/usage-query-schema.js'

/** A round instant, so tests can name buckets; the simulators and the service share it. */
export const TEST_NOW = Date.parse('2026-11-20T10:30:00Z')

export interface ServiceSourceSpec {
  id: string
  adapter: SourceAdapter<unknown>
  startSimulator: SimulatorStarter
  /** Calls the simulator of this earlier spec instead of a simulator of its own: one provider, several sources. */
  simulatorOf?: string
  settings?: unknown
  /** Sign with this secret instead of the simulator's: proves auth failures are typed. */
  wrongSecret?: boolean
  qps?: number
  concurrency?: number
  /** The provider account id the sources file would give this source. */
  account?: string
}

export interface TestServiceOptions {
  now?: number
  requestTimeoutMs?: number
  /** Time a client has to send its headers (10 s by default). */
  headersTimeoutMs?: number
  upstreamTimeoutMs?: number
  /** false: no answer cache. */
  cache?: false
  /** Default: a single attempt, so fault tests see the fault rather than a retry's recovery. */
  retry?: RetryPolicy
  /** The simulated account every source signs with (and every simulator accepts); TEST_ACCOUNT by default. */
  account?: SimulatedAccount
  apiKeys?: ApiKeySet
  /** Browser origins allowed (USAGE_CORS_ORIGINS); none by default. */
  corsOrigins?: CorsOrigins
  metricsPublic?: boolean
  limits?: Partial<QueryLimits>
  /** tz and granularity of queries that name none, as USAGE_DEFAULT_TZ and USAGE_DEFAULT_GRANULARITY set them. */
  queryDefaults?: QueryDefaults
  /** A logger for the app (logging is off by default). */
  logger?: FastifyBaseLogger
  /** Receives one entry per upstream attempt, as the runtime's executors do. */
  onCall?: ExecutorServices['onCall']
  /** A usage ledger for the runtime (none by default). */
  ledger?: RuntimeOverrides['ledger']
}

export type ErrorResponse = z.infer<typeof errorResponseSchema>

export interface ServiceResponse<Body> { status: number, headers: Record<string, unknown>, text: string, json: Body }

export interface TestService {
  metrics: UsageMetrics
  url: string
  clock: ReturnType<typeof fixedClock>
  simulators: Record<string, RunningSimulator>
  runtime: Runtime
  /** Any answer; `json` is whatever the body parsed to (null when it is not JSON), for a test to narrow. */
  get(path: string, headers?: Record<string, string>): Promise<ServiceResponse<unknown>>
  /** An answer whose body must be a usage answer (any status): a test then reads typed fields, never `any`. */
  getUsage(path: string, headers?: Record<string, string>): Promise<ServiceResponse<UsageResponse>>
  /** An answer whose body must be the error shape. */
  getError(path: string, headers?: Record<string, string>): Promise<ServiceResponse<ErrorResponse>>
  /** An answer whose body must be the catalog. */
  getCatalog(path?: string, headers?: Record<string, string>): Promise<ServiceResponse<CatalogResponse>>
}

/** Fails with the status and the body when the body is not what the schema documents. */
function asBody<Body> (schema: z.ZodType<Body>, path: string, response: ServiceResponse<unknown>): ServiceResponse<Body> {
  return { ...response, json: checkedBody(schema, `GET ${path}: ${response.status} ${response.text.slice(0, 1000)}`, response.json) }
}

export const TEST_ACCOUNT: SimulatedAccount = { accessKeyId: 'LTAItestkey0001', accessKeySecret: 'test-secret-0001-do-not-use' }

export async function startTestService (t: Test, specs: ServiceSourceSpec[], options: TestServiceOptions = {}): Promise<TestService> {
  const clock = fixedClock(options.now ?? TEST_NOW)
  const account = options.account ?? TEST_ACCOUNT
  const simulators: Record<string, RunningSimulator> = {}
  const configs: SourceConfig[] = []
  for (const spec of specs) {
    const simulator = spec.simulatorOf === undefined ? await spec.startSimulator({ accounts: [account], clock }) : simulators[spec.simulatorOf]
    if (simulator === undefined) throw new Error(`spec '${spec.id}' names no earlier spec's simulator`)
    simulators[spec.id] = simulator
    const settings = spec.adapter.settingsSchema.parse(spec.settings ?? {})
    const config: SourceConfig<unknown> = {
      id: spec.id,
      kind: spec.adapter.kind,
      endpoint: simulator.url,
      qps: spec.qps ?? spec.adapter.limits.defaultQps,
      concurrency: spec.concurrency ?? 8,
      credentials: {
        ...account,
        accessKeySecret: spec.wrongSecret ? 'not-the-secret' : account.accessKeySecret
      },
      simulated: true,
      ...(spec.account === undefined ? {} : { account: spec.account }),
      settings
    }
    configs.push(config)
  }
  // Closed last: teardowns run in reverse, so the app and then the runtime's upstream transport close first.
  t.teardown(async () => {
    await Promise.all([...new Set(Object.values(simulators))].map(simulator => simulator.close()))
  })
  const { app, runtime } = await build(t, {
    config: { ...loadConfig({}), upstreamTimeoutMs: options.upstreamTimeoutMs ?? 5_000 },
    clock,
    overrides: {
      sources: configs,
      adapters: specs.map(spec => spec.adapter),
      cache: options.cache,
      retry: options.retry ?? { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 50 },
      onCall: options.onCall,
      ...(options.ledger === undefined ? {} : { ledger: options.ledger })
    },
    app: {
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      headersTimeoutMs: options.headersTimeoutMs,
      queryDefaults: options.queryDefaults,
      limits: options.limits,
      apiKeys: options.apiKeys,
      corsOrigins: options.corsOrigins,
      metricsPublic: options.metricsPublic,
      ...(options.logger ? { fastify: { loggerInstance: options.logger } } : {})
    }
  })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const metrics = runtime.metrics
  const service: TestService = {
    metrics,
    url: address,
    clock,
    simulators,
    runtime,
    async get (path, headers = {}) {
      const response = await request(address + path, { headers })
      const text = await response.body.text()
      let json: unknown = null
      try { json = JSON.parse(text) } catch {}
      return { status: response.statusCode, headers: response.headers, text, json }
    },
    async getUsage (path, headers) { return asBody(usageResponseSchema, path, await service.get(path, headers)) },
    async getError (path, headers) { return asBody(errorResponseSchema, path, await service.get(path, headers)) },
    async getCatalog (path = '/usage/catalog', headers) { return asBody(catalogResponseSchema, path, await service.get(path, headers)) }
  }
  return service
}
