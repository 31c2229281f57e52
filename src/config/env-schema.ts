/** The one schema of the service's environment. Every variable here is listed in .env.example. */
import { z } from 'zod'
import { GRANULARITIES, isValidZone } from '../time/index.js'
import { DURATION_FORM, parseDurationText } from '../time/duration-text.js'

const port = z.coerce.number().int().min(0).max(65535)
const positiveInteger = z.coerce.number().int().positive()
const optionalText = z.string().trim().min(1).optional()
const url = z.string().trim().url()

/** An empty variable (as `.env` files and compose leave them) means unset. */
function unsetWhenEmpty<T extends z.ZodType> (schema: T) {
  return z.preprocess(value => typeof value === 'string' && value.trim() === '' ? undefined : value, schema)
}

const shape = {
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  ALIBABA_CLOUD_ACCESS_KEY_ID: optionalText,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: optionalText,
  ALIBABA_CLOUD_SECURITY_TOKEN: optionalText,
  TENCENTCLOUD_SECRET_ID: optionalText,
  TENCENTCLOUD_SECRET_KEY: optionalText,
  TENCENTCLOUD_SESSION_TOKEN: optionalText,

  USAGE_SOURCES_FILE: optionalText,
  USAGE_ALIYUN_LIVE_ENDPOINT: url.optional(),

  USAGE_MAX_BUCKETS: positiveInteger.max(100_000).default(10_000),
  USAGE_REQUEST_TIMEOUT_MS: positiveInteger.max(600_000).default(30_000),
  USAGE_UPSTREAM_TIMEOUT_MS: positiveInteger.max(600_000).default(20_000),
  USAGE_CACHE_MAX_MB: positiveInteger.max(16_384).default(64),
  USAGE_CACHE_FINAL_TTL_MS: z.coerce.number().int().min(0).max(30 * 86_400_000).default(86_400_000),
  USAGE_CACHE_PROVISIONAL_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  USAGE_RETRY_MAX_ATTEMPTS: positiveInteger.max(10).default(4),
  USAGE_SIMULATOR_LATENCY_MS: z.string().trim().regex(/^\d+(-\d+)?$/, 'expected milliseconds, e.g. 0 or 80-150').default('0'),

  USAGE_API_KEYS: optionalText,
  USAGE_BUILD_COMMIT: optionalText,
  // Checked with the API keys in load-config (which origins, and whether * is allowed).
  USAGE_CORS_ORIGINS: optionalText,
  USAGE_METRICS_PUBLIC: z.enum(['true', 'false'], { error: 'expected true or false' }).default('false'),
  USAGE_MAX_RANGE_DAYS: positiveInteger.max(36_600).default(731),
  USAGE_MAX_POINTS: positiveInteger.max(10_000_000).default(100_000),
  USAGE_MAX_UPSTREAM_CALLS: positiveInteger.max(100_000).default(500),
  USAGE_SHUTDOWN_GRACE_MS: positiveInteger.max(600_000).default(30_000),

  // The same check as a query's tz, so that a default the service boots with is one a query could name.
  USAGE_DEFAULT_TZ: z.string().trim().refine(isValidZone, 'expected an IANA time zone such as UTC or Asia/Shanghai').default('UTC'),
  USAGE_DEFAULT_GRANULARITY: z.enum(GRANULARITIES, { error: `expected one of ${GRANULARITIES.join(', ')}` }).default('day'),

  // Checked further by parseRedisUrl at load; the value may hold a password, so no message repeats it.
  USAGE_REDIS_URL: optionalText,
  // Several deployments (or test runs) sharing one Redis keep apart by prefix.
  USAGE_REDIS_KEY_PREFIX: z.string().trim().regex(/^[A-Za-z0-9:_.-]{1,128}$/, 'expected 1 to 128 letters, digits, : _ . -').default('usage:'),
  USAGE_REPLICAS: positiveInteger.max(1000, 'expected a whole number of replicas from 1 to 1000').default(1),

  // The usage ledger: checked further by parseStoreUrl at load (unset: pglite:./data/ledger); may hold a password.
  USAGE_STORE_URL: optionalText,
  // The ledger's background sync (docs/ledger.md#sync): how often it runs (0: never), and how many recent days of
  // settled buckets each run asks the providers again, to catch restatements.
  USAGE_SYNC_INTERVAL: z.string().trim()
    .refine(text => parseDurationText(text) !== null, `expected ${DURATION_FORM}`)
    .refine(text => { const ms = parseDurationText(text) ?? 0; return ms === 0 || (ms >= 10_000 && ms <= 7 * 86_400_000) }, 'expected 0 (off) or from 10s to 7d')
    .default('15m'),
  USAGE_SYNC_RECHECK_DAYS: z.coerce.number().int('expected a whole number of days').min(0).max(90, 'expected at most 90 days').default(3)
}

export const envSchema = z.object(
  Object.fromEntries(Object.entries(shape).map(([name, schema]) => [name, unsetWhenEmpty(schema)])) as { [K in keyof typeof shape]: z.ZodPipe<z.ZodTransform, (typeof shape)[K]> }
)

export type Env = z.infer<typeof envSchema>
