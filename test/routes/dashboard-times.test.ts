/**
 * from/to as dashboards send them (epoch milliseconds, relative times) and the deployment's default tz and
 * granularity, through real HTTP: the same answer as the equivalent RFC 3339 query, bad forms named.
 */
import t, { type Test } from 'tap'
import { appOptionsFor, buildApp } from '../../src/app.js'
import { fixedClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config/load-config.js'
import { findAdapter } from '../../src/providers/registry.js'
import { createRuntime } from '../../src/runtime.js'
import { usageResponseSchema } from '../../src/schemas/usage-response-schema.js'
import { SIMULATOR_STARTERS } from '../../src/simulators/index.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'
import { checkedBody } from '../support/checked-body.js'
import { startTestService, TEST_NOW } from '../support/test-service.js'

// TEST_NOW is 2026-11-20T10:30:00Z, 18:30 in Shanghai: now/d there is 2026-11-20T00:00:00+08:00.
const service = await startTestService(t, [
  { id: 'studio', adapter: findAdapter('aliyun.live-producer')!, startSimulator: SIMULATOR_STARTERS['aliyun.live-producer'] },
  { id: 'mps', adapter: findAdapter('tencent.mps')!, startSimulator: SIMULATOR_STARTERS['tencent.mps'] }
])
const epoch = (iso: string): number => Date.parse(iso)
const usage = (query: string) => service.getUsage(`/usage?${query}`)
const refused = (query: string) => service.getError(`/usage?${query}`)
/** The answer without what says how it was obtained: a repeated query is served from the cache. */
function answerOf (json: UsageResponse): unknown {
  const { cacheAgeSeconds: _age, sources, ...rest } = json
  return { ...rest, sources: sources.map(({ calls: _calls, cachedCalls: _cached, ...source }) => source) }
}

t.test('relative times and epoch milliseconds give the answer of the RFC 3339 query they stand for', async t => {
  const written = await usage('from=2026-11-13T00:00:00%2B08:00&to=2026-11-20T00:00:00%2B08:00&tz=Asia/Shanghai&groupBy=source')
  t.equal(written.status, 200)
  t.equal(written.json.complete, true, JSON.stringify(written.json.warnings))
  const equivalents = [
    'from=now-7d/d&to=now/d&tz=Asia/Shanghai&groupBy=source',
    `from=${epoch('2026-11-13T00:00:00+08:00')}&to=${epoch('2026-11-20T00:00:00+08:00')}&tz=Asia/Shanghai&groupBy=source`,
    `from=now-1w/d&to=${epoch('2026-11-19T16:00:00Z')}&tz=Asia/Shanghai&groupBy=source`,
    // Epoch milliseconds inside the first and last day: widened to the same whole days.
    `from=${epoch('2026-11-13T05:00:00+08:00')}&to=${epoch('2026-11-19T23:59:59+08:00')}&tz=Asia/Shanghai&groupBy=source`
  ]
  for (const query of equivalents) {
    const answer = await usage(query)
    t.equal(answer.status, 200, query)
    t.same(answerOf(answer.json), answerOf(written.json), `${query}: the same answer`)
  }
  t.equal(written.json.from, '2026-11-13T00:00:00+08:00', 'and the range is echoed as RFC 3339')
  t.equal(written.json.to, '2026-11-20T00:00:00+08:00')
})

t.test('months and hours: now-1M/M to now/M, now-6h/h to now/h', async t => {
  const months = await usage('from=now-2M/M&to=now/M&granularity=month&tz=Asia/Shanghai')
  const monthsWritten = await usage('from=2026-09-01&to=2026-11-01&granularity=month&tz=Asia/Shanghai')
  t.equal(months.status, 200)
  t.same(answerOf(months.json), answerOf(monthsWritten.json))
  const hours = await usage('from=now-6h/h&to=now/h&granularity=hour&source=studio')
  const hoursWritten = await usage('from=2026-11-20T04:00:00Z&to=2026-11-20T10:00:00Z&granularity=hour&source=studio')
  t.equal(hours.status, 200)
  t.same(answerOf(hours.json), answerOf(hoursWritten.json))
  t.equal(hours.json.series[0]?.points.length, 6)
})

t.test('relative times follow the service clock', async t => {
  const before = await usage('from=now-1d/d&to=now/d&source=studio')
  service.clock.set(TEST_NOW + 86_400_000)
  t.teardown(() => service.clock.set(TEST_NOW))
  const after = await usage('from=now-1d/d&to=now/d&source=studio')
  t.equal(before.json.from, '2026-11-19T00:00:00Z')
  t.equal(after.json.from, '2026-11-20T00:00:00Z', 'a day later, a day later')
})

t.test('bad forms: 400 INVALID_QUERY naming the parameter and what is accepted', async t => {
  const cases: Array<[query: string, parameter: string, message: RegExp]> = [
    ['from=now-7x&to=now', 'from', /not 'x'.*now\[±N unit\]\[\/unit\]/],
    ['from=now-7d&to=now/2d', 'to', /without a count/],
    ['from=yesterday&to=now', 'from', /RFC 3339.*a date.*epoch milliseconds.*now\[±N unit\]\[\/unit\]/],
    // Epoch seconds read as milliseconds fall in 1970: refused with the hint.
    ['from=1793491200&to=now', 'from', /epoch milliseconds \(this one is 1970-01-21T18:11:31Z\): for epoch seconds, multiply by 1000/],
    ['from=now-60y&to=now', 'from', /out of range.*1973-01-01T00:00:00Z.*resolves to 1966-11-20T10:30:00.000Z/],
    // A raw + arrives as a space, which a relative time reads as +.
    ['from=now&to=now+8000y', 'to', /years 1000 to 9999/],
    ['from=now&to=now-1d', 'to', /to must be after from/],
    ['from=now-1d&to=now&tz=Mars/Olympus', 'tz', /unknown time zone/]
  ]
  for (const [query, parameter, message] of cases) {
    const answer = await refused(query)
    t.equal(answer.status, 400, query)
    t.equal(answer.json.error.code, 'INVALID_QUERY', query)
    const detail = answer.json.error.details.find(entry => entry.parameter === parameter)
    t.ok(detail, `${query}: names ${parameter}`)
    t.match(detail?.message, message, `${query}: ${detail?.message}`)
  }
})

t.test('the deployment default tz and granularity apply when the query names none', async t => {
  const shanghai = await startTestService(t, [
    { id: 'mps', adapter: findAdapter('tencent.mps')!, startSimulator: SIMULATOR_STARTERS['tencent.mps'] }
  ], { queryDefaults: { zone: 'Asia/Shanghai', granularity: 'month' } })
  const defaulted = await shanghai.getUsage('/usage?from=now-2M/M&to=now/M')
  t.equal(defaulted.status, 200)
  t.match(defaulted.json, { tz: 'Asia/Shanghai', granularity: 'month', from: '2026-09-01T00:00:00+08:00', complete: true })
  const named = await shanghai.getError('/usage?from=2026-11-01&to=2026-11-03&tz=UTC&granularity=hour&provider=aliyun,tencent')
  t.equal(named.status, 400, 'what the query names still wins: Tencent cannot make UTC hours')
  t.equal(named.json.error.code, 'UNALIGNED_QUERY')
})

/** The embedded default's four simulated sources, configured from the environment as the service boots. */
async function embeddedService (t: Test, environment: NodeJS.ProcessEnv) {
  const config = loadConfig(environment)
  const clock = fixedClock(TEST_NOW)
  const runtime = await createRuntime({ config, clock, overrides: { ledger: false } })
  const app = await buildApp(appOptionsFor(config, runtime, clock))
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => {
    await app.close()
    await runtime.close()
  })
  return async (path: string): Promise<UsageResponse> => {
    const response = await fetch(url + path)
    return checkedBody(usageResponseSchema, `GET ${path}: ${response.status}`, await response.json())
  }
}

t.test('USAGE_DEFAULT_TZ=Asia/Shanghai: the default query over the embedded default is complete', async t => {
  const shanghai = await embeddedService(t, { USAGE_DEFAULT_TZ: 'Asia/Shanghai' })
  const answer = await shanghai('/usage?from=now-7d/d&to=now/d')
  t.equal(answer.tz, 'Asia/Shanghai')
  t.equal(answer.complete, true, JSON.stringify(answer.warnings))
  t.equal(answer.sources.length, 4, 'all four simulated sources')
  t.equal(answer.sources.find(source => source.kind === 'tencent.mps')?.status, 'ok')

  const utc = await embeddedService(t, {})
  const unaligned = await utc('/usage?from=now-7d/d&to=now/d')
  t.equal(unaligned.tz, 'UTC')
  t.equal(unaligned.complete, false)
  t.equal(unaligned.sources.find(source => source.kind === 'tencent.mps')?.status, 'unaligned', 'UTC days cannot be made of Tencent days')
})
