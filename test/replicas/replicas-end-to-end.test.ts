/**
 * Three service processes (src/server.ts) on loopback share one Redis, one PostgreSQL ledger (when
 * USAGE_TEST_POSTGRES_URL is set) and one process of simulated providers (src/simulators/simulate-cli.ts, as
 * `npm run simulate` starts it), as replicas behind a load balancer would:
 * together they keep to each account's QPS per API, identical cold requests spread over them reach the provider
 * once, and what one replica settled the others answer from the ledger.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { findAdapter } from '../../src/providers/registry.js'
import { cleanUpKeys, skipWithoutRedis, testRedisUrl, uniquePrefix, unusedPort } from '../support/redis-test-support.js'
import {
  checkProviderLimits, getUsage, joinsOf, replicaEnvironment, startReplica, startSimulatedProviders, temporaryLedgerDatabase
} from '../support/replica-cluster.js'
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL } from '../ledger/support/ledger-backends.js'

// Four service processes and the simulators compile and boot from source, which takes a while on a loaded machine.
t.setTimeout(360_000)

t.test('replicas sharing one Redis and one process of simulated providers', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('replicas-end-to-end')
  cleanUpKeys(t, keyPrefix)
  const providers = await startSimulatedProviders(t)
  const { proxies } = providers
  // Made before the replicas start, so that it is dropped after they stopped (teardowns run last first).
  const storeUrl = POSTGRES_URL === '' ? undefined : await temporaryLedgerDatabase(t, POSTGRES_URL)
  if (storeUrl === undefined) t.comment(`${POSTGRES_SKIP_MESSAGE}: the replicas run without a shared ledger`)
  const start = async (redisUrl: string, index: number) =>
    (await startReplica(t, replicaEnvironment(providers, { sourcesPath: providers.proxiedSourcesPath, redisUrl, keyPrefix, replicas: 3, storeUrl: index === 0 ? undefined : storeUrl }))).base
  // The fourth is pointed at a port where no Redis listens (and keeps no ledger: it answers on its own).
  const [isolated, ...replicas] = await Promise.all([`redis://127.0.0.1:${await unusedPort()}`, testRedisUrl!, testRedisUrl!, testRedisUrl!].map(start))
  const burst: Array<{ query: string, series: string }> = []
  const get = async (base: string | undefined, path: string) => await getUsage(base!, path)
  t.test('a burst of distinct cold queries over the replicas stays within every account\'s QPS per API', async t => {
    const queries = Array.from({ length: 24 }, (_, day) => `/usage?from=now-${day + 2}d/d&to=now-${day + 1}d/d&granularity=day&tz=Asia/Shanghai`)
    const answers = await Promise.all(queries.map(async (query, index) => await get(replicas[index % replicas.length], query)))
    t.same(answers.map(answer => answer.status).filter(status => status !== 200), [], 'every query answered')
    burst.push(...answers.map((answer, index) => ({ query: queries[index]!, series: JSON.stringify(answer.body.series) })))
    const records = await providers.records()
    for (const [kind, stats] of Object.entries(records)) t.ok(stats.count() > 0, `${kind} was called`)
    checkProviderLimits(t, records)
    const liveProducer = records['aliyun.live-producer']!
    t.ok(liveProducer.count() > 3 * findAdapter('aliyun.live-producer')!.limits.defaultQps,
      `more calls (${liveProducer.count()}) than three replicas could make in a second each on their own budget, so the budget had to be shared`)
  })

  t.test('the burst again, each query on another replica: what one replica settled, the others answer from the shared ledger', async t => {
    if (storeUrl === undefined) {
      t.comment(POSTGRES_SKIP_MESSAGE)
      return
    }
    // Days that ended three days ago or more: settled for every kind (the longest data delay is Tencent's 36 hours).
    const settled = burst.slice(3)
    const before = await providers.mark()
    const answers = await Promise.all(settled.map(async ({ query }, index) => await get(replicas[(index + 1) % replicas.length], query)))
    t.same(answers.map(answer => answer.status).filter(status => status !== 200), [], 'every query answered')
    t.same(answers.map((answer, index) => JSON.stringify(answer.body.series) === settled[index]!.series ? null : settled[index]!.query).filter(query => query !== null), [], 'the same numbers')
    // IMS has no native buckets (one total per call), so the ledger keeps nothing of it; every other kind is settled for these days.
    const since = await providers.records(before)
    const kept = Object.keys(since).filter(kind => findAdapter(kind)!.nativeBuckets.kind === 'grid')
    t.same(kept.filter(kind => since[kind]!.count() !== 0), [], `no upstream call for ${kept.join(', ')}`)
    const ledgerBuckets = answers.flatMap(answer => answer.body.sources.filter(source => kept.includes(source.kind)).map(source => source.ledgerBuckets))
    t.same(ledgerBuckets.filter(count => count === 0), [], 'every kept source says it answered from the ledger')
  })

  t.test('90 identical cold requests over the three replicas make one request\'s upstream calls', async t => {
    const source = providers.sources.find(each => each.kind === 'aliyun.ims')!
    const proxy = proxies.get(source.id)!
    const before = await providers.mark()
    proxy.hold()
    const query = `/usage?from=now-40d/d&to=now-39d/d&granularity=day&tz=Asia/Shanghai&source=${source.id}`
    const pending = Promise.all(Array.from({ length: 90 }, async (_, index) => await get(replicas[index % replicas.length], query)))
    // Released only once the other two replicas wait for every held call in Redis: no guess at how long that takes.
    for (;;) {
      const joins = (await Promise.all(replicas.map(async base => await joinsOf(base, source.id)))).reduce((sum, each) => sum + each, 0)
      if (proxy.held > 0 && joins >= 2 * proxy.held) break
      await sleep(50)
    }
    const heldCalls = proxy.held
    proxy.release()
    const answers = await pending
    t.same(answers.map(answer => answer.status).filter(status => status !== 200), [], 'every request answered')
    const calls = Math.max(...answers.map(answer => answer.body.sources.find(each => each.id === source.id)!.calls))
    const seen = (await providers.records(before, 'aliyun.ims'))['aliyun.ims']!.count()
    t.equal(seen, heldCalls, 'the provider saw only the calls the leading replica made')
    t.equal(seen, calls, 'which are one request\'s upstream calls')
    const first = JSON.stringify(answers[0]!.body.series)
    t.equal(answers.filter(answer => JSON.stringify(answer.body.series) !== first).length, 0, 'and every replica answered the same numbers')
  })

  t.test('a replica that cannot reach Redis answers exactly, ready and degraded', async t => {
    const readiness = await fetch(isolated + '/readyz')
    t.equal(readiness.status, 200, 'ready')
    t.match(await readiness.json(), { status: 'ready', degraded: true, redis: 'degraded' })
    t.match(await (await fetch(replicas[0] + '/readyz')).json(), { status: 'ready', degraded: false, redis: 'connected' })
    const query = '/usage?from=now-50d/d&to=now-48d/d&granularity=day&tz=Asia/Shanghai'
    const [alone, shared] = await Promise.all([get(isolated, query), get(replicas[1], query)])
    t.equal(alone.status, 200, 'no 5xx without Redis')
    t.same(alone.body.series, shared.body.series, 'the same numbers as a replica sharing through Redis')
    const metrics = await (await fetch(isolated + '/metrics')).text()
    t.match(metrics, /usage_service_redis_fallbacks_total\{component="budget"\} [1-9]/, 'the fallbacks are counted')
    t.match(metrics, /usage_service_budget_mode\{source="simulated-aliyun-ims"\} 0/, 'and every budget is local')
    t.match(metrics, /usage_service_budget_wait_seconds_count\{source="simulated-aliyun-ims"\} [1-9]/, 'each attempt\'s wait for its budget is measured')
    t.match(await (await fetch(replicas[0] + '/metrics')).text(), /usage_service_budget_mode\{source="simulated-aliyun-ims"\} 1/, 'while a replica that reaches Redis shares it')
  })
})
