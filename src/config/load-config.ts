/**
 * Reads and validates every setting once, at boot. A bad setting stops the service with a message
 * that starts with the variable's name.
 */
import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import { ADAPTERS, findAdapter } from '../providers/registry.js'
import type { SourceConfig } from '../usage/source-adapter.js'
import { ConfigError } from './config-error.js'
import { envSchema, type Env } from './env-schema.js'
import { sourcesFileSchema, type SourceEntry } from './sources-file.js'
import { parseApiKeyEntries } from '../security/api-keys.js'
import { parseCorsOrigins, type CorsOrigins } from '../http/cors-origins.js'
import type { QueryDefaults } from '../schemas/usage-query-schema.js'
import { parseRedisUrl } from '../replicas/redis-settings.js'
import { parseStoreSetting, type StoreLocation } from '../ledger/store-url.js'
import { parseDurationText } from '../time/duration-text.js'

export interface ServiceConfig {
  port: number
  host: string
  logLevel: Env['LOG_LEVEL']
  maxBuckets: number
  requestTimeoutMs: number
  upstreamTimeoutMs: number
  simulatorLatencyMs: { min: number, max: number }
  cache: { maxBytes: number, finalTtlMs: number, provisionalTtlMs: number }
  retryMaxAttempts: number
  /** SHA-256 digests of the accepted API keys (plain keys are not kept); empty: every route is open. */
  apiKeyDigests: Buffer[]
  /** /metrics needs no key even when keys are configured. */
  metricsPublic: boolean
  /** The commit this build was made from, for /metrics' build info; null when not known. */
  buildCommit: string | null
  /** Browser origins allowed to read answers (USAGE_CORS_ORIGINS); none: no CORS headers. */
  corsOrigins: CorsOrigins
  limits: { maxRangeMs: number, maxPoints: number, maxUpstreamCalls: number }
  /** How long in-flight requests may run after SIGTERM/SIGINT before the process exits anyway. */
  shutdownGraceMs: number
  /** tz and granularity of a query that names none (USAGE_DEFAULT_TZ, USAGE_DEFAULT_GRANULARITY). */
  queryDefaults: QueryDefaults
  /**
   * Redis shared by the replicas for budgets, coalescing and the provisional cache (USAGE_REDIS_URL; null: all
   * in-process), how many replicas share each budget when Redis cannot be reached (USAGE_REPLICAS), and the
   * prefix of every key written (USAGE_REDIS_KEY_PREFIX).
   */
  replicas: { redisUrl: string | null, count: number, keyPrefix: string }
  /** Where the usage ledger lives (USAGE_STORE_URL; unset: pglite:./data/ledger under the working directory); null: `none`, no ledger. */
  store: StoreLocation | null
  /** The ledger's background sync: every `intervalMs` (0: off), rechecking the last `recheckDays` days of settled buckets. */
  sync: { intervalMs: number, recheckDays: number }
  /** Configured sources, or 'embedded' when no credentials are configured: simulated providers on loopback. */
  sources: SourceConfig[] | 'embedded'
}

export function loadConfig (environment: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = envSchema.safeParse(environment)
  if (!parsed.success) throw configErrorFromZod(parsed.error)
  const env = parsed.data
  const [minLatency, maxLatency = minLatency] = env.USAGE_SIMULATOR_LATENCY_MS.split('-').map(Number) as [number, number?]
  if (maxLatency < minLatency) throw new ConfigError('USAGE_SIMULATOR_LATENCY_MS', 'the range must go from low to high, e.g. 80-150')
  const apiKeyDigests = parseApiKeyEntries(env.USAGE_API_KEYS)
  return {
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    maxBuckets: env.USAGE_MAX_BUCKETS,
    requestTimeoutMs: env.USAGE_REQUEST_TIMEOUT_MS,
    upstreamTimeoutMs: env.USAGE_UPSTREAM_TIMEOUT_MS,
    simulatorLatencyMs: { min: minLatency, max: maxLatency },
    cache: {
      maxBytes: env.USAGE_CACHE_MAX_MB * 1024 * 1024,
      finalTtlMs: env.USAGE_CACHE_FINAL_TTL_MS,
      provisionalTtlMs: env.USAGE_CACHE_PROVISIONAL_TTL_MS
    },
    retryMaxAttempts: env.USAGE_RETRY_MAX_ATTEMPTS,
    apiKeyDigests,
    metricsPublic: env.USAGE_METRICS_PUBLIC === 'true',
    buildCommit: env.USAGE_BUILD_COMMIT ?? null,
    corsOrigins: parseCorsOrigins(env.USAGE_CORS_ORIGINS, { apiKeysSet: apiKeyDigests.length > 0 }),
    limits: {
      maxRangeMs: env.USAGE_MAX_RANGE_DAYS * 86_400_000,
      maxPoints: env.USAGE_MAX_POINTS,
      maxUpstreamCalls: env.USAGE_MAX_UPSTREAM_CALLS
    },
    shutdownGraceMs: env.USAGE_SHUTDOWN_GRACE_MS,
    queryDefaults: { zone: env.USAGE_DEFAULT_TZ, granularity: env.USAGE_DEFAULT_GRANULARITY },
    replicas: { redisUrl: parseRedisUrl(env.USAGE_REDIS_URL), count: env.USAGE_REPLICAS, keyPrefix: env.USAGE_REDIS_KEY_PREFIX },
    store: parseStoreSetting(env.USAGE_STORE_URL),
    sync: { intervalMs: parseDurationText(env.USAGE_SYNC_INTERVAL) ?? 0, recheckDays: env.USAGE_SYNC_RECHECK_DAYS },
    sources: loadSources(env, environment)
  }
}

function loadSources (env: Env, environment: NodeJS.ProcessEnv): SourceConfig[] | 'embedded' {
  if (env.USAGE_SOURCES_FILE) return sourcesFromFile(env.USAGE_SOURCES_FILE, environment)
  const sources = [...aliyunSourcesFromEnv(env), ...tencentSourcesFromEnv(env)]
  return sources.length > 0 ? sources : 'embedded'
}

function aliyunSourcesFromEnv (env: Env): SourceConfig[] {
  const credentials = pairedCredentials(
    ['ALIBABA_CLOUD_ACCESS_KEY_ID', env.ALIBABA_CLOUD_ACCESS_KEY_ID],
    ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', env.ALIBABA_CLOUD_ACCESS_KEY_SECRET],
    env.ALIBABA_CLOUD_SECURITY_TOKEN
  )
  if (!credentials) return []
  const endpoints: Record<string, string | undefined> = {
    'aliyun.live-producer': env.USAGE_ALIYUN_LIVE_ENDPOINT,
    'aliyun.live-grtn': env.USAGE_ALIYUN_LIVE_ENDPOINT
  }
  return ADAPTERS.filter(adapter => adapter.provider === 'aliyun').map(adapter => buildSource({
    id: adapter.kind.replace('.', '-'),
    kind: adapter.kind,
    credentials,
    endpoint: endpoints[adapter.kind],
    variable: 'ALIBABA_CLOUD_ACCESS_KEY_ID'
  }))
}

function tencentSourcesFromEnv (env: Env): SourceConfig[] {
  const credentials = pairedCredentials(
    ['TENCENTCLOUD_SECRET_ID', env.TENCENTCLOUD_SECRET_ID],
    ['TENCENTCLOUD_SECRET_KEY', env.TENCENTCLOUD_SECRET_KEY],
    env.TENCENTCLOUD_SESSION_TOKEN
  )
  if (!credentials) return []
  return ADAPTERS.filter(adapter => adapter.provider === 'tencent').map(adapter => buildSource({
    id: adapter.kind.replace('.', '-'),
    kind: adapter.kind,
    credentials,
    variable: 'TENCENTCLOUD_SECRET_ID'
  }))
}

function pairedCredentials (
  [idName, id]: [string, string | undefined],
  [secretName, secret]: [string, string | undefined],
  token: string | undefined
): SourceConfig['credentials'] | null {
  if (!id && !secret) return null
  if (!id) throw new ConfigError(idName, `is not set but ${secretName} is; set both`)
  if (!secret) throw new ConfigError(secretName, `is not set but ${idName} is; set both`)
  return token ? { accessKeyId: id, accessKeySecret: secret, securityToken: token } : { accessKeyId: id, accessKeySecret: secret }
}

function sourcesFromFile (path: string, environment: NodeJS.ProcessEnv): SourceConfig[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError('USAGE_SOURCES_FILE', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new ConfigError('USAGE_SOURCES_FILE', `${path} is not valid JSON`)
  }
  const parsed = sourcesFileSchema.safeParse(json)
  if (!parsed.success) throw configErrorFromZod(parsed.error, 'USAGE_SOURCES_FILE')
  const ids = new Set<string>()
  return parsed.data.sources.map((entry, index) => {
    const where = `USAGE_SOURCES_FILE sources[${index}]`
    if (ids.has(entry.id)) throw new ConfigError(where, `id '${entry.id}' is used twice`)
    ids.add(entry.id)
    return buildSource({ ...entry, credentials: credentialsFromEnv(entry, environment, where), variable: where })
  })
}

function credentialsFromEnv (entry: SourceEntry, environment: NodeJS.ProcessEnv, where: string): SourceConfig['credentials'] {
  const read = (name: string, field: string): string => {
    const value = environment[name]?.trim()
    if (!value) throw new ConfigError(where, `credentials.${field} names ${name}, which is not set`)
    return value
  }
  const accessKeyId = read(entry.credentials.accessKeyIdEnv, 'accessKeyIdEnv')
  const accessKeySecret = read(entry.credentials.accessKeySecretEnv, 'accessKeySecretEnv')
  const tokenName = entry.credentials.securityTokenEnv
  return tokenName ? { accessKeyId, accessKeySecret, securityToken: read(tokenName, 'securityTokenEnv') } : { accessKeyId, accessKeySecret }
}

export function buildSource (input: {
  id: string
  kind: string
  credentials: SourceConfig['credentials']
  account?: string
  endpoint?: string
  qps?: number
  concurrency?: number
  settleDelaySeconds?: number
  settings?: Record<string, unknown>
  simulated?: boolean
  variable: string
}): SourceConfig {
  const adapter = findAdapter(input.kind)
  if (!adapter) {
    throw new ConfigError(input.variable, `kind '${input.kind}' is not known; use one of ${ADAPTERS.map(known => known.kind).join(', ')}`)
  }
  const settings = adapter.settingsSchema.safeParse(input.settings ?? {})
  if (!settings.success) throw configErrorFromZod(settings.error, `${input.variable} settings`)
  const qps = input.qps ?? adapter.limits.defaultQps
  return {
    id: input.id,
    kind: input.kind,
    endpoint: (input.endpoint ?? adapter.defaultEndpoint).replace(/\/+$/, ''),
    qps,
    concurrency: input.concurrency ?? Math.min(8, Math.max(1, Math.ceil(qps))),
    credentials: input.credentials,
    simulated: input.simulated ?? false,
    ...(input.account === undefined ? {} : { account: input.account }),
    ...(input.settleDelaySeconds === undefined ? {} : { settleDelayMs: input.settleDelaySeconds * 1000 }),
    settings: settings.data
  }
}

function configErrorFromZod (error: z.ZodError, prefix?: string): ConfigError {
  const issue = error.issues[0]!
  const path = issue.path.map(String).join('.')
  const variable = prefix ? (path ? `${prefix} ${path}` : prefix) : path || 'environment'
  return new ConfigError(variable, issue.message)
}
