/**
 * Fuzzed input: thousands of generated query strings (random and repeated parameters, huge and negative
 * numbers, raw percent-encoding garbage, unknown zones, prototype-polluting names, enormous lists and values)
 * at /usage and /usage/catalog. Every answer is a 2xx or a 4xx in the documented error shape: never a 5xx,
 * never a crash. Sources are healthy fakes (no HTTP), so a 5xx could only be a bug of this service.
 */
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { fixedClock } from '../../src/clock.js'
import { ERROR_CODES } from '../../src/errors.js'
import { catalogResponseSchema } from '../../src/schemas/catalog-schema.js'
import { errorResponseSchema } from '../../src/schemas/error-schema.js'
import { usageResponseSchema } from '../../src/schemas/usage-response-schema.js'
import { ApiKeySet, parseApiKeyEntries } from '../../src/security/api-keys.js'
import { ADAPTERS } from '../../src/providers/registry.js'
import { buildCatalog } from '../../src/usage/catalog.js'
import { DIMENSIONS } from '../../src/usage/source-adapter.js'
import { DEFAULT_RETRY_POLICY } from '../../src/usage/retry-policy.js'
import { build } from '../support/build.js'
import { DAY, fakeAdapter, fakeSource } from '../support/fake-adapter.js'
import { TEST_NOW } from '../support/test-service.js'
import { propertySeed } from '../support/property-seed.js'

const USAGE_RUNS = 5_000
const CATALOG_RUNS = 2_000

const clock = fixedClock(TEST_NOW)
const hourly = fakeAdapter({ metrics: ['transcode.duration', 'studio.output.duration'] })
// Without native buckets: one call per requested bucket, the shape that multiplies upstream calls.
const totals = fakeAdapter({ kind: 'fake.totals', grids: 'any', maxSpanMs: 31 * DAY, metrics: ['ai.duration'] })
const fakes = { sources: [fakeSource('hourly', hourly.kind), fakeSource('totals', totals.kind)], adapters: [hourly, totals], retry: DEFAULT_RETRY_POLICY }
const { app } = await build(t, {
  clock,
  overrides: fakes,
  app: { limits: { maxBuckets: 10_000 }, requestTimeoutMs: 10_000 }
})

const KNOWN_NAMES = ['from', 'to', 'granularity', 'tz', 'metrics', 'groupBy', 'format', 'strict', 'timeout', ...DIMENSIONS]
const HOSTILE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__proto__[polluted]',
  'constructor[prototype][polluted]', 'from[]', 'to[0]', '%', '%ZZ', '%00', '%%', '', ' ', 'a%20b', '%E2%80%AE', 'é', 'x'.repeat(5_000)]
const GARBAGE = ['%', '%ZZ', '%00', '%%', '%2', '%E2%80%AE', '%C0%AF', '%ED%A0%80', '%F0%9F%92%A9', '%FF%FE', '+', '%2C', ',', ',,,', ' ',
  '__proto__', 'constructor', '[]', '{}', 'null', 'undefined', 'NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '-0', '0x10', '9'.repeat(400),
  '-99999999999999999999', '../../etc/passwd', '<script>alert(1)</script>', '\'', '"', '\\', '\u0000', '\uFEFF', '2026-02-30', '2026-11-01T25:00:00Z',
  '2026-11-01T00:00:00+99:00', '275760-09-13', '-271821-04-20', '0000-01-01', '9999-12-31', '1970-01-01']
const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham',
  'America/St_Johns', 'Etc/GMT+14', 'Etc/GMT-14', 'utc', 'Mars/Olympus', '', '../UTC', 'Europe/Berlin,UTC', 'Z', '+08:00']

const dateInRange = (min: string, max: string) => fc.integer({ min: Date.parse(min), max: Date.parse(max) })
const boundary = fc.oneof(
  dateInRange('2026-07-01', '2026-12-31').map(ms => new Date(ms).toISOString().slice(0, 10)),
  dateInRange('2026-08-01', '2026-11-25').map(ms => new Date(ms).toISOString()),
  fc.tuple(dateInRange('2026-10-01', '2026-11-25'), fc.integer({ min: -14, max: 14 }))
    .map(([ms, hours]) => `${new Date(ms).toISOString().slice(0, 19)}${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:00`),
  dateInRange('1900-01-01', '2200-01-01').map(ms => new Date(ms).toISOString().slice(0, 10))
)
const numberish = fc.oneof(fc.integer().map(String), fc.double().map(String), fc.bigInt().map(String))
const list = (values: readonly string[]) => fc.array(fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 12 })), { maxLength: 6 }).map(items => items.join(','))
const enormousList = fc.integer({ min: 50, max: 20_000 }).map(count => Array.from({ length: count }, (_, index) => `v${index % 97}`).join(','))
const longValue = fc.integer({ min: 1_000, max: 200_000 }).map(length => 'x'.repeat(length))

/** Values that mean something for the parameter, so generated queries also reach planning, calls and merging. */
function plausibleValue (name: string): fc.Arbitrary<string> {
  switch (name) {
    case 'from': case 'to': return boundary
    case 'granularity': return fc.constantFrom('hour', 'day', 'month', 'week', 'HOUR', '')
    case 'tz': return fc.constantFrom(...ZONES)
    case 'metrics': return list(buildCatalog(ADAPTERS).metrics.map(metric => metric.name))
    case 'groupBy': return list(DIMENSIONS)
    case 'format': return fc.constantFrom('json', 'csv', 'xml', '')
    case 'strict': return fc.constantFrom('true', 'false', 'yes', '1')
    case 'timeout': return fc.oneof(fc.constantFrom('1', '120', '0.5', '121', '1.0005', '30.25'), numberish)
    case 'provider': return fc.constantFrom('aliyun', 'tencent', 'aliyun,tencent', 'azure')
    case 'source': return fc.constantFrom('hourly', 'totals', 'hourly,totals', 'nope')
    default: return fc.oneof(fc.constantFrom('hd', 'sd', 'ld'), list(['hd', 'sd', 'ld']))
  }
}

const anyValue = (name: string) => fc.oneof(
  { weight: 6, arbitrary: plausibleValue(name) },
  { weight: 2, arbitrary: fc.constantFrom(...GARBAGE) },
  { weight: 1, arbitrary: numberish },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: enormousList },
  { weight: 1, arbitrary: longValue }
)

/** A value as it goes on the wire: percent-encoded, raw, or raw with stray percent signs. */
const encoded = (value: string) => fc.constantFrom('encode', 'raw', 'garble').map(mode => {
  if (mode === 'encode') {
    try { return encodeURIComponent(value) } catch { return value }
  }
  return mode === 'raw' ? value.replace(/[&#]/g, '') : `%${value.replace(/[&#]/g, '')}%Z`
})

const parameter = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }
).chain(name => fc.tuple(fc.constant(name), anyValue(name).chain(encoded), fc.boolean())
  .map(([key, value, withEquals]) => withEquals ? `${key}=${value}` : key))

/** A from/to pair that is valid most of the time: the start, then a length from an hour to four months. */
const validRange = fc.tuple(dateInRange('2026-07-15', '2026-11-25'), fc.integer({ min: 1, max: 24 * 120 }), fc.boolean())
  .map(([start, hours, dates]) => {
    const end = start + hours * 3_600_000
    const format = (ms: number) => dates ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString().slice(0, 13) + ':00:00Z'
    return `from=${encodeURIComponent(format(start))}&to=${encodeURIComponent(format(end))}`
  })

const cleanParameter = fc.constantFrom(...KNOWN_NAMES.filter(name => name !== 'from' && name !== 'to'))
  .chain(name => plausibleValue(name).map(value => `${name}=${encodeURIComponent(value)}`))

/** Half clean queries (which reach planning, calls and merging), half noise (which exercise validation). */
const queryString = fc.oneof(
  fc.tuple(validRange, fc.uniqueArray(cleanParameter, { maxLength: 3, selector: item => item.split('=')[0] }))
    .map(([range, extras]) => [range, ...extras].join('&')),
  fc.tuple(fc.option(fc.oneof(validRange, fc.tuple(boundary, boundary).map(([from, to]) => `from=${from}&to=${to}`)), { nil: undefined }), fc.array(parameter, { maxLength: 8 }))
    .map(([base, extras]) => [...(base ? [base] : []), ...extras].join('&'))
)

const ACCEPT = fc.constantFrom(undefined, 'text/csv', 'application/json', 'text/csv, application/json', '*/*', '\u0000', 'x'.repeat(2_000))

/**
 * The one 5xx a caller can ask for: strict=true turns a source that cannot deliver all of its part (here: a range
 * older than the lookback, or not over yet) into a documented 502 SOURCE_FAILED. Anything else 5xx is a bug.
 */
function checkAnswer (response: { statusCode: number, headers: Record<string, unknown>, body: string }, path: string, query: string): string | null {
  const { statusCode: status, body } = response
  if (status === 502 && /(^|&)strict=true(&|$)/.test(query)) {
    return JSON.parse(body).error?.code === 'SOURCE_FAILED' ? null : 'a 502 that is not strict mode\'s SOURCE_FAILED'
  }
  const type = String(response.headers['content-type'] ?? '')
  if (status >= 200 && status < 300) {
    if (type.startsWith('text/csv')) return body.startsWith('start,end,metric,unit') ? null : 'CSV without its header row'
    const json = JSON.parse(body)
    const schema = path === '/usage' ? usageResponseSchema : catalogResponseSchema
    return schema.safeParse(json).success ? null : '2xx body does not match its schema'
  }
  if (status < 400 || status >= 500) return `status ${status}`
  if (!type.startsWith('application/json')) return `4xx with content-type ${type}`
  const json = JSON.parse(body)
  if (!errorResponseSchema.safeParse(json).success) return '4xx body is not the error shape'
  if (typeof json.error.requestId !== 'string') return '4xx body without requestId'
  const documented = ERROR_CODES[json.error.code as keyof typeof ERROR_CODES].status
  return documented >= 400 && documented < 500 ? null : `4xx with code ${json.error.code}`
}

async function fuzz (t: Test, path: '/usage' | '/usage/catalog', numRuns: number) {
  const statuses = new Map<number, number>()
  const started = performance.now()
  // The catalog takes no parameters: its only 2xx is the bare path.
  const queries = path === '/usage' ? queryString : fc.oneof(fc.constant(''), queryString)
  await fc.assert(fc.asyncProperty(queries, ACCEPT, async (query, accept) => {
    const response = await app.inject({ method: 'GET', url: `${path}?${query}`, headers: accept === undefined ? {} : { accept } })
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
    const problem = checkAnswer(response, path, query)
    if (problem !== null) throw new Error(`${problem}: ${response.body.slice(0, 500)}`)
  }), { seed: propertySeed(t), numRuns, verbose: 1 })
  t.comment(`${path}: ${numRuns} runs in ${Math.round(performance.now() - started)} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
  return statuses
}

t.test(`/usage: ${USAGE_RUNS} generated query strings, never a 5xx`, async t => {
  const statuses = await fuzz(t, '/usage', USAGE_RUNS)
  t.ok((statuses.get(200) ?? 0) > USAGE_RUNS / 20, 'a fair share of generated queries reach an answer, not only validation')
  t.ok((statuses.get(400) ?? 0) > USAGE_RUNS / 5, 'and a fair share are refused')
})

t.test(`/usage/catalog: ${CATALOG_RUNS} generated query strings, never a 5xx`, async t => {
  await fuzz(t, '/usage/catalog', CATALOG_RUNS)
})

t.test('generated Authorization headers: a 200 only for the key, otherwise a 401, never anything else', async t => {
  const key = 'fuzz-key-0123456789abcdef'
  const { app: guarded } = await build(t, {
    clock,
    overrides: fakes,
    app: { limits: { maxBuckets: 10_000 }, requestTimeoutMs: 10_000, apiKeys: new ApiKeySet(parseApiKeyEntries(key)) }
  })
  // Header values a client can send: visible ASCII, spaces and tabs, and Latin-1 bytes.
  const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter(code => code !== 0x7f).map(code => String.fromCharCode(code)), maxLength: 80 })
  const header = fc.oneof(
    headerText,
    headerText.map(text => `Bearer ${text}`),
    fc.constantFrom(`Bearer ${key}`, `bearer ${key}`, `Bearer ${key} `, `Bearer  ${key}`, `Bearer ${key}x`, `Bearer ${key.slice(1)}`, `Basic ${key}`, key,
      `Bearer ${key.toUpperCase()}`, 'Bearer ' + 'k'.repeat(10_000), `Bearer sha256:${'0'.repeat(64)}`)
  )
  await fc.assert(fc.asyncProperty(header, async authorization => {
    const response = await guarded.inject({ method: 'GET', url: '/usage/catalog', headers: { authorization } })
    // The scheme is case-insensitive, the key is not.
    const valid = /^bearer +(\S+) *$/i.exec(authorization)?.[1] === key
    if (response.statusCode !== (valid ? 200 : 401)) throw new Error(`${response.statusCode} for ${JSON.stringify(authorization)}`)
    if (!valid && JSON.parse(response.body).error.code !== 'UNAUTHORIZED') throw new Error('401 without UNAUTHORIZED')
  }), { seed: propertySeed(t), numRuns: 1_000 })
})

t.test('hand-picked hostile query strings', async t => {
  const cases = [
    '%', '%ZZ', '%00', '%%%%', '&&&', '=', '==', '=x', 'from', 'from=&to=', '__proto__=1', '__proto__[isAdmin]=1', 'constructor[prototype][x]=1',
    'from=2026-11-01&to=2026-11-02&from=2026-11-01', 'from=2026-11-01&to=2026-11-02&tier=' + 'hd,'.repeat(100_000) + 'hd',
    'from=2026-11-01&to=2026-11-02&' + Array.from({ length: 5_000 }, (_, index) => `p${index}=1`).join('&'),
    'from=2026-11-01&to=2026-11-02&' + 'tier=hd&'.repeat(5_000),
    'from=1970-01-01&to=9999-12-31&granularity=hour', 'from=2026-11-01&to=2026-11-02&timeout=1e309', 'from=2026-11-01&to=2026-11-02&tz=' + 'A/'.repeat(10_000),
    'from=2026-03-29T01:30:00+01:00&to=2026-03-29T03:30:00+02:00&granularity=hour&tz=Europe/Berlin',
    'from=2026-11-01&to=2026-11-02&granularity=month&tz=Pacific/Chatham&groupBy=provider,source,tier&format=csv'
  ]
  for (const query of cases) {
    for (const path of ['/usage', '/usage/catalog'] as const) {
      const response = await app.inject({ method: 'GET', url: `${path}?${query}` })
      t.equal(checkAnswer(response, path, query), null, `${path}?${query.slice(0, 80)} → ${response.statusCode}`)
    }
  }
  t.equal(({} as Record<string, unknown>).isAdmin, undefined, 'no prototype was polluted')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'still serving')
})
