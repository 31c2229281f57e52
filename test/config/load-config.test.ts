import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { ConfigError } from '../../src/config/config-error.js'
import { loadConfig } from '../../src/config/load-config.js'

const directory = mkdtempSync(join(tmpdir(), 'usage-config-'))
function sourcesFile (content: unknown): string {
  const path = join(directory, `sources-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}
const expectError = (t: Test, environment: NodeJS.ProcessEnv, variable: RegExp, message?: RegExp) => {
  try {
    loadConfig(environment)
    t.fail('expected a ConfigError')
  } catch (error) {
    t.type(error, ConfigError)
    t.match((error as ConfigError).variable, variable)
    if (message) t.match((error as Error).message, message)
  }
}

t.test('no credentials: the embedded default, with documented defaults', async t => {
  const config = loadConfig({})
  t.equal(config.sources, 'embedded')
  t.match(config, { port: 3000, host: '127.0.0.1', logLevel: 'info', maxBuckets: 10_000 })
  t.same(config.queryDefaults, { zone: 'UTC', granularity: 'day' }, 'queries default to UTC days')
})

t.test('the deployment sets the tz and granularity of queries that name none', async t => {
  t.same(loadConfig({ USAGE_DEFAULT_TZ: 'Asia/Shanghai', USAGE_DEFAULT_GRANULARITY: 'hour' }).queryDefaults, { zone: 'Asia/Shanghai', granularity: 'hour' })
  t.same(loadConfig({ USAGE_DEFAULT_TZ: ' ', USAGE_DEFAULT_GRANULARITY: '' }).queryDefaults, { zone: 'UTC', granularity: 'day' }, 'empty means unset')
  expectError(t, { USAGE_DEFAULT_TZ: 'China/Shanghai' }, /^USAGE_DEFAULT_TZ$/, /IANA time zone/)
  expectError(t, { USAGE_DEFAULT_TZ: '+08:00' }, /^USAGE_DEFAULT_TZ$/, /IANA time zone/)
  expectError(t, { USAGE_DEFAULT_GRANULARITY: 'week' }, /^USAGE_DEFAULT_GRANULARITY$/, /hour, day, month/)
})

t.test('replicas: Redis and the number of replicas sharing each budget, checked at boot', async t => {
  t.same(loadConfig({}).replicas, { redisUrl: null, count: 1, keyPrefix: 'usage:' }, 'unset: everything in-process, as one replica')
  t.same(loadConfig({ USAGE_REDIS_URL: 'redis://cache.internal:6379/2', USAGE_REPLICAS: '3', USAGE_REDIS_KEY_PREFIX: 'billing:' }).replicas,
    { redisUrl: 'redis://cache.internal:6379/2', count: 3, keyPrefix: 'billing:' })
  t.same(loadConfig({ USAGE_REDIS_URL: ' ', USAGE_REPLICAS: '' }).replicas, { redisUrl: null, count: 1, keyPrefix: 'usage:' }, 'empty means unset')
  expectError(t, { USAGE_REDIS_KEY_PREFIX: 'has space' }, /^USAGE_REDIS_KEY_PREFIX$/)
  expectError(t, { USAGE_REDIS_URL: 'http://user:hunter2@cache:6379' }, /^USAGE_REDIS_URL$/, /^USAGE_REDIS_URL: expected the redis: or rediss: scheme/)
  for (const value of ['0', '-1', '2.5', 'three', '1001']) expectError(t, { USAGE_REPLICAS: value }, /^USAGE_REPLICAS$/)
})

t.test('PORT and HOST are honoured; empty variables mean unset', async t => {
  const config = loadConfig({ PORT: '8081', HOST: '0.0.0.0', ALIBABA_CLOUD_ACCESS_KEY_ID: '', USAGE_SOURCES_FILE: ' ' })
  t.match(config, { port: 8081, host: '0.0.0.0', sources: 'embedded' })
})

t.test('bad values stop the service with the variable named', async t => {
  expectError(t, { PORT: 'eighty' }, /^PORT$/)
  expectError(t, { PORT: '70000' }, /^PORT$/)
  expectError(t, { LOG_LEVEL: 'loud' }, /^LOG_LEVEL$/)
  expectError(t, { USAGE_SIMULATOR_LATENCY_MS: 'fast' }, /^USAGE_SIMULATOR_LATENCY_MS$/)
  expectError(t, { USAGE_SIMULATOR_LATENCY_MS: '150-80' }, /^USAGE_SIMULATOR_LATENCY_MS$/)
  expectError(t, { USAGE_ALIYUN_LIVE_ENDPOINT: 'not a url' }, /^USAGE_ALIYUN_LIVE_ENDPOINT$/)
})

t.test('conventional Alibaba variables: one source per Alibaba kind, with the STS token', async t => {
  const config = loadConfig({
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIid',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
    ALIBABA_CLOUD_SECURITY_TOKEN: 'sts',
    USAGE_ALIYUN_LIVE_ENDPOINT: 'https://live.example.internal/'
  })
  if (config.sources === 'embedded') return t.fail('expected sources')
  const producer = config.sources.find(source => source.kind === 'aliyun.live-producer')
  t.match(producer, { id: 'aliyun-live-producer', endpoint: 'https://live.example.internal', qps: 5, simulated: false })
  t.same(producer?.credentials, { accessKeyId: 'LTAIid', accessKeySecret: 'secret', securityToken: 'sts' })
})

t.test('half a key pair names the missing variable', async t => {
  expectError(t, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIid' }, /^ALIBABA_CLOUD_ACCESS_KEY_SECRET$/)
  expectError(t, { TENCENTCLOUD_SECRET_KEY: 'key' }, /^TENCENTCLOUD_SECRET_ID$/)
})

t.test('a sources file: many accounts, secrets by env-var name, endpoint, QPS and account overrides', async t => {
  const path = sourcesFile({
    sources: [
      { id: 'studio-a', kind: 'aliyun.live-producer', credentials: { accessKeyIdEnv: 'A_ID', accessKeySecretEnv: 'A_SECRET' }, endpoint: 'http://127.0.0.1:4100', qps: 2, account: '1234567890123456' },
      { id: 'studio-b', kind: 'aliyun.live-producer', credentials: { accessKeyIdEnv: 'B_ID', accessKeySecretEnv: 'B_SECRET', securityTokenEnv: 'B_TOKEN' }, settings: { regionId: 'cn-beijing' } }
    ]
  })
  const config = loadConfig({ USAGE_SOURCES_FILE: path, A_ID: 'a', A_SECRET: 'as', B_ID: 'b', B_SECRET: 'bs', B_TOKEN: 'bt' })
  if (config.sources === 'embedded') return t.fail('expected sources')
  t.match(config.sources[0], { id: 'studio-a', endpoint: 'http://127.0.0.1:4100', qps: 2, concurrency: 2 })
  t.match(config.sources[1], { id: 'studio-b', endpoint: 'https://live.aliyuncs.com', qps: 5, settings: { regionId: 'cn-beijing' } })
  t.equal(config.sources[1]!.credentials.securityToken, 'bt')
  t.equal(config.sources[0]!.account, '1234567890123456', 'the provider account id is kept')
  t.equal(config.sources[1]!.account, undefined, 'an entry without one has none')
})

t.test('sources file problems name the file, the entry and the field', async t => {
  const entry = { id: 'x', kind: 'aliyun.live-producer', credentials: { accessKeyIdEnv: 'X_ID', accessKeySecretEnv: 'X_SECRET' } }
  const environment = { X_ID: 'x', X_SECRET: 'y' }
  expectError(t, { USAGE_SOURCES_FILE: join(directory, 'missing.json') }, /^USAGE_SOURCES_FILE$/, /cannot read/)
  expectError(t, { USAGE_SOURCES_FILE: sourcesFile('{nope') }, /^USAGE_SOURCES_FILE$/, /not valid JSON/)
  expectError(t, { USAGE_SOURCES_FILE: sourcesFile({ sources: [{ ...entry, kind: 'aws.cur' }] }), ...environment }, /sources\[0\]/, /aliyun\.live-producer/)
  expectError(t, { USAGE_SOURCES_FILE: sourcesFile({ sources: [entry, entry] }), ...environment }, /sources\[1\]/, /used twice/)
  expectError(t, { USAGE_SOURCES_FILE: sourcesFile({ sources: [entry] }) }, /sources\[0\]/, /X_ID, which is not set/)
  expectError(t, { USAGE_SOURCES_FILE: sourcesFile({ sources: [{ ...entry, qps: -1 }] }), ...environment }, /USAGE_SOURCES_FILE sources\.0\.qps/)
  expectError(t, { USAGE_SOURCES_FILE: sourcesFile({ sources: [{ ...entry, account: 1234 }] }), ...environment }, /USAGE_SOURCES_FILE sources\.0\.account/)
  expectError(t, { USAGE_SOURCES_FILE: sourcesFile({ sources: [{ ...entry, accessKeySecret: 'inline' }] }), ...environment }, /USAGE_SOURCES_FILE/, /accessKeySecret/)
  expectError(t, { USAGE_SOURCES_FILE: sourcesFile({ sources: [{ ...entry, settings: { regionId: 5 } }] }), ...environment }, /sources\[0\] settings/)
})

t.test('USAGE_CORS_ORIGINS: a list of exact origins, * only without API keys', async t => {
  t.same(loadConfig({}).corsOrigins, [], 'none by default: no CORS')
  t.same(loadConfig({ USAGE_CORS_ORIGINS: 'https://billing.example.com, http://localhost:5173' }).corsOrigins,
    ['https://billing.example.com', 'http://localhost:5173'])
  t.equal(loadConfig({ USAGE_CORS_ORIGINS: '*' }).corsOrigins, '*')
  t.throws(() => loadConfig({ USAGE_CORS_ORIGINS: '*', USAGE_API_KEYS: 'a-long-enough-key-0123' }), /^USAGE_CORS_ORIGINS: .*USAGE_API_KEYS/)
  t.throws(() => loadConfig({ USAGE_CORS_ORIGINS: '*,https://a.example.com' }), /^USAGE_CORS_ORIGINS: /)
  for (const notAnOrigin of ['https://billing.example.com/', 'https://billing.example.com/path', 'billing.example.com', 'ftp://x.example.com', 'https://a.example.com,,https://b.example.com']) {
    t.throws(() => loadConfig({ USAGE_CORS_ORIGINS: notAnOrigin }), /^USAGE_CORS_ORIGINS: entry \d of \d/, notAnOrigin)
  }
})
