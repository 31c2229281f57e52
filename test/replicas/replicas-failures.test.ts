/**
 * Three service processes (src/server.ts) sharing one Redis and one process of simulated providers
 * (src/simulators/simulate-cli.ts, as `npm run simulate` starts it), through failures:
 * Redis going away in the middle of a burst and coming back, and a replica killed (SIGKILL) while the others wait
 * for the upstream call it leads. Answers are checked against a fourth process that runs alone, without Redis:
 * what one process computes is the exact answer.
 *
 * The replicas reach Redis through a TCP proxy this test cuts and restores (the machine's Redis is shared, so it
 * is never stopped), and reach each provider through a holding proxy, so the test decides when a call is in flight.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { findAdapter } from '../../src/providers/registry.js'
import { cleanUpKeys, skipWithoutRedis, startRedisProxy, uniquePrefix } from '../support/redis-test-support.js'
import {
  checkProviderLimits, getUsage, joinsOf, metricOf, replicaEnvironment, startReplica, startSimulatedProviders, type Replica
} from '../support/replica-cluster.js'

// Four service processes and the simulators compile and boot from source, which takes a while on a loaded machine.
t.setTimeout(420_000)

const budgetFallbacks = 'usage_service_redis_fallbacks_total{component="budget"}'
const coalescingFallbacks = 'usage_service_redis_fallbacks_total{component="coalescing"}'
const budgetMode = (sourceId: string) => `usage_service_budget_mode{source="${sourceId}"}`

/** Polls until `condition` holds: the test waits for states, never for a guessed time. */
async function until (condition: () => Promise<boolean>): Promise<void> {
  while (!await condition()) await sleep(50)
}

const dayQuery = (daysAgo: number, sourceId?: string) =>
  `/usage?from=now-${daysAgo}d/d&to=now-${daysAgo - 1}d/d&granularity=day&tz=Asia/Shanghai${sourceId === undefined ? '' : `&source=${sourceId}`}`

t.test('replicas through a Redis outage and a replica killed mid-call', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('replicas-failures')
  cleanUpKeys(t, keyPrefix)
  const redis = await startRedisProxy()
  t.teardown(async () => { await redis.close() })
  const providers = await startSimulatedProviders(t)
  const shared = replicaEnvironment(providers, { sourcesPath: providers.proxiedSourcesPath, redisUrl: redis.url, keyPrefix, replicas: 3 })
  const [reference, ...replicas] = await Promise.all([
    startReplica(t, replicaEnvironment(providers, { sourcesPath: providers.directSourcesPath })),
    startReplica(t, shared), startReplica(t, shared), startReplica(t, shared)
  ]) as [Replica, Replica, Replica, Replica]
  const sourceIds = providers.sources.map(source => source.id)
  await until(async () => (await Promise.all(replicas.map(async replica => await metricOf(replica.base, 'usage_service_redis_connected')))).every(value => value === 1))

  t.test('Redis gone mid-burst: no 5xx, no throttling, exact answers; Redis back: shared again', async t => {
    const burstStart = await providers.mark()
    const liveProducerCalls = async () => (await providers.records(burstStart, 'aliyun.live-producer'))['aliyun.live-producer']!.count()
    const queries = Array.from({ length: 36 }, (_, index) => dayQuery(index + 2))
    const burst = Promise.all(queries.map(async (query, index) => await getUsage(replicas[index % replicas.length]!.base, query)))

    // Cut once the burst is under way through Redis (the slowest API has had a second's worth of calls).
    await until(async () => await liveProducerCalls() >= findAdapter('aliyun.live-producer')!.limits.defaultQps)
    await redis.cut()
    // Back once every replica has run calls on its own share and says so.
    await until(async () => (await Promise.all(replicas.map(async replica => await metricOf(replica.base, budgetFallbacks)))).every(count => count > 0))
    for (const replica of replicas) {
      const readiness = await fetch(replica.base + '/readyz')
      t.equal(readiness.status, 200, 'ready without Redis')
      t.match(await readiness.json(), { status: 'ready', degraded: true, redis: 'degraded' }, 'and says it is degraded')
      t.equal(await metricOf(replica.base, 'usage_service_redis_connected'), 0, '/metrics: Redis not connected')
      const modes = await Promise.all(sourceIds.map(async id => await metricOf(replica.base, budgetMode(id))))
      t.ok(modes.some(mode => mode === 0), '/metrics: budgets local', { found: modes })
    }
    await redis.restore()

    const answers = await burst
    t.same(answers.map(answer => answer.status).filter(status => status !== 200), [], 'no request failed')
    t.same(answers.filter(answer => !answer.body.complete).length, 0, 'every answer complete')
    checkProviderLimits(t, await providers.records(burstStart))

    // Shared mode resumes by itself, and the calls after it go through Redis again.
    await until(async () => {
      const modes = await Promise.all(replicas.flatMap(replica => sourceIds.map(async id => await metricOf(replica.base, budgetMode(id)))))
      return modes.every(mode => mode === 1)
    })
    const fallbacksBefore = await Promise.all(replicas.map(async replica => await metricOf(replica.base, budgetFallbacks)))
    const afterStart = await providers.mark()
    const after = await Promise.all(Array.from({ length: 6 }, async (_, index) => await getUsage(replicas[index % replicas.length]!.base, dayQuery(index + 40))))
    t.same(after.map(answer => answer.status).filter(status => status !== 200), [], 'answers after the outage')
    t.same(await Promise.all(replicas.map(async replica => await metricOf(replica.base, budgetFallbacks))), fallbacksBefore, 'made through Redis: no new fallback')
    for (const replica of replicas) t.equal(await metricOf(replica.base, 'usage_service_redis_connected'), 1, '/metrics: Redis connected again')
    checkProviderLimits(t, await providers.records(afterStart))

    // The process alone computes the exact answers (its own calls are made after the checks above).
    for (const [index, query] of [...queries, ...Array.from({ length: 6 }, (_, each) => dayQuery(each + 40))].entries()) {
      const expected = await getUsage(reference.base, query)
      const got = index < queries.length ? answers[index]! : after[index - queries.length]!
      t.same(got.body.series, expected.body.series, `${query}: the numbers one process alone computes`)
    }
  })

  t.test('a replica killed while the others wait for its call: they take it over once and answer exactly', async t => {
    const source = providers.sources.find(each => each.kind === 'aliyun.ims')!
    const proxy = providers.proxies.get(source.id)!
    const [leader, ...others] = replicas as [Replica, Replica, Replica]
    const query = dayQuery(60, source.id)
    const callStart = await providers.mark()
    proxy.hold()
    // The leader asks first; its calls are held at the proxy, in flight as far as it knows.
    const leaderAnswer = getUsage(leader.base, query).catch(() => 'killed')
    await until(async () => proxy.held > 0)
    const joinsBefore = await Promise.all(others.map(async replica => await joinsOf(replica.base, source.id)))
    const waiting = Promise.all(Array.from({ length: 20 }, async (_, index) => await getUsage(others[index % others.length]!.base, query)))
    const heldByLeader = proxy.held
    // Both other replicas wait in Redis for every call the leader holds.
    await until(async () => {
      const joins = await Promise.all(others.map(async (replica, index) => await joinsOf(replica.base, source.id) - joinsBefore[index]!))
      return joins.every(count => count >= heldByLeader)
    })
    t.equal(proxy.held, heldByLeader, 'the others made no call of their own while the leader held the lease')

    leader.server.child.kill('SIGKILL')
    t.match(await leader.server.exited, { signal: 'SIGKILL' }, 'the leader is gone mid-call')
    t.equal(await leaderAnswer, 'killed')
    // Once the dead leader's lease has run out, one waiter takes each call over; its call is held too.
    const aloneBefore = await Promise.all(others.map(async replica => await metricOf(replica.base, coalescingFallbacks)))
    await until(async () => proxy.held >= 2 * heldByLeader)
    proxy.release()
    const answers = await waiting

    t.same(answers.map(answer => answer.status).filter(status => status !== 200), [], 'every waiting request answered')
    t.same(answers.filter(answer => !answer.body.complete || answer.body.sources.some(each => each.status !== 'ok')).length, 0, 'complete')
    t.equal(proxy.held, 0)
    // A replica that could not rely on Redis for a step (on a loaded machine, a reply late twice running) makes
    // the call itself, as documented, and counts it: those calls are told apart, not hidden.
    const madeAlone = (await Promise.all(others.map(async (replica, index) => await metricOf(replica.base, coalescingFallbacks) - aloneBefore[index]!)))
      .reduce((sum, each) => sum + each, 0)
    // The dead leader's held calls never reach the provider (the proxy drops a request whose caller is gone), and
    // attempts a replica retried after a transport error are not calls the provider saw: it counts them itself.
    const ims = (await providers.records(callStart, 'aliyun.ims'))['aliyun.ims']!
    t.equal(ims.count() - madeAlone, heldByLeader, `each of the dead leader's calls was taken over once, not once per replica (${madeAlone} made alone without Redis)`)
    t.equal(ims.throttled(), 0, 'no throttled response')
    const expected = await getUsage(reference.base, query)
    t.same(answers.filter(answer => JSON.stringify(answer.body.series) !== JSON.stringify(expected.body.series)).length, 0,
      'every answer has the numbers one process alone computes')
  })
})
