/** API keys: parsing USAGE_API_KEYS (plain or sha256: digests), constant-time acceptance, Bearer parsing, config. */
import { createHash } from 'node:crypto'
import t from 'tap'
import { ConfigError } from '../../src/config/config-error.js'
import { loadConfig } from '../../src/config/load-config.js'
import { ApiKeySet, bearerTokenOf, parseApiKeyEntries } from '../../src/security/api-keys.js'

const PLAIN = 'plain-key-0123456789abcdef'
const HASHED = 'hashed-key-fedcba9876543210'
const digestOf = (key: string) => createHash('sha256').update(key).digest('hex')

t.test('plain keys and sha256: digests are both accepted; nothing else is', async t => {
  const keys = new ApiKeySet(parseApiKeyEntries(` ${PLAIN} , sha256:${digestOf(HASHED).toUpperCase()}`))
  t.equal(keys.enabled, true)
  t.equal(keys.accepts(PLAIN), true)
  t.equal(keys.accepts(HASHED), true)
  t.equal(keys.accepts(`sha256:${digestOf(HASHED)}`), false, 'the digest itself is not a key')
  t.equal(keys.accepts(PLAIN.slice(0, -1)), false)
  t.equal(keys.accepts(PLAIN + 'x'), false)
  t.equal(keys.accepts(''), false)
  t.equal(keys.accepts('x'.repeat(100_000)), false)
  t.equal(new ApiKeySet([]).enabled, false)
})

t.test('bad entries stop the service naming the variable and the entry, never echoing a key', async t => {
  const cases: Array<[string, RegExp]> = [
    ['short-key', /entry 1 of 1 is shorter than 16/],
    [`${PLAIN},,${HASHED}`, /entry 2 of 3 is empty/],
    ['sha256:abc', /entry 1 of 1 starts with sha256: but is not followed by 64 hex digits/],
    [`${PLAIN},has a space in it here`, /entry 2 of 2 contains whitespace/]
  ]
  for (const [list, message] of cases) {
    t.throws(() => parseApiKeyEntries(list), { name: 'ConfigError', variable: 'USAGE_API_KEYS', message }, list)
    try { parseApiKeyEntries(list) } catch (error) { t.notMatch((error as Error).message, PLAIN, 'no key in the message') }
  }
})

t.test('Authorization: Bearer <key>, scheme case-insensitive, nothing else', async t => {
  t.equal(bearerTokenOf(`Bearer ${PLAIN}`), PLAIN)
  t.equal(bearerTokenOf(`bearer  ${PLAIN} `), PLAIN)
  for (const header of [undefined, '', 'Bearer', 'Bearer ', `Basic ${PLAIN}`, `Bearer ${PLAIN} extra`, `Bearer\t${PLAIN}`, PLAIN]) {
    t.equal(bearerTokenOf(header), null, String(header))
  }
})

t.test('the environment: USAGE_API_KEYS, USAGE_METRICS_PUBLIC, the bounds and the shutdown grace', async t => {
  const defaults = loadConfig({})
  t.same(defaults.apiKeyDigests, [])
  t.equal(defaults.metricsPublic, false)
  t.same(defaults.limits, { maxRangeMs: 731 * 86_400_000, maxPoints: 100_000, maxUpstreamCalls: 500 })
  t.equal(defaults.shutdownGraceMs, 30_000)

  const configured = loadConfig({
    USAGE_API_KEYS: `${PLAIN},sha256:${digestOf(HASHED)}`,
    USAGE_METRICS_PUBLIC: 'true',
    USAGE_MAX_RANGE_DAYS: '30',
    USAGE_MAX_POINTS: '500',
    USAGE_MAX_UPSTREAM_CALLS: '7',
    USAGE_SHUTDOWN_GRACE_MS: '1500'
  })
  t.same(configured.apiKeyDigests.map(digest => digest.toString('hex')), [digestOf(PLAIN), digestOf(HASHED)])
  t.notMatch(JSON.stringify(configured), PLAIN, 'the configuration keeps digests, not keys')
  t.equal(configured.metricsPublic, true)
  t.same(configured.limits, { maxRangeMs: 30 * 86_400_000, maxPoints: 500, maxUpstreamCalls: 7 })
  t.equal(configured.shutdownGraceMs, 1500)

  for (const [variable, value] of [['USAGE_METRICS_PUBLIC', 'yes'], ['USAGE_MAX_POINTS', '0'], ['USAGE_MAX_UPSTREAM_CALLS', 'many'], ['USAGE_MAX_RANGE_DAYS', '-1'], ['USAGE_SHUTDOWN_GRACE_MS', '1.5'], ['USAGE_API_KEYS', 'short']] as const) {
    try {
      loadConfig({ [variable]: value })
      t.fail(`${variable}=${value} was accepted`)
    } catch (error) {
      t.ok(error instanceof ConfigError && error.variable === variable && error.message.startsWith(variable), `${variable}=${value}`)
    }
  }
})
