/**
 * Scenario 6, replicas: three service processes sharing one Redis (USAGE_REDIS_URL, USAGE_REPLICAS=3) and one
 * process of simulated providers receive the same cold query at once, spread evenly over them as a load balancer
 * would. What the providers see must be what one request alone costs: each upstream call made once, by whichever
 * replica leads it, and no second above an API's documented QPS, so no throttled answer.
 *
 * Redis comes from BENCH_REDIS_URL, or else USAGE_TEST_REDIS_URL (what CI and the tests use). Without either the
 * scenario is skipped and the table's notes say so. Each run writes under a key prefix of its own; every key it
 * leaves expires by itself within two minutes (leases, published results, the shared cache, the gate's hashes).
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import type { QueryPlanInfo } from './lib/plan-info.js'
import { usageSearch } from './lib/queries.js'
import type { Row } from './lib/table.js'

export const REPLICA_COUNT = 3

/** Where the replicas' Redis is, or null when there is none to run the scenario against. */
export function benchRedisUrl (environment: NodeJS.ProcessEnv): string | null {
  return environment.BENCH_REDIS_URL?.trim() || environment.USAGE_TEST_REDIS_URL?.trim() || null
}

/** What this scenario needs of a service process started by run.ts. */
export interface ReplicaProcess {
  serviceUrl: string
  plan(search: string): Promise<QueryPlanInfo & { limits: { maxUpstreamCalls: number } }>
  get(url: string): Promise<{ status: number, text: string }>
  stop(): Promise<void>
}

/** What it needs of the simulated providers' process: what each kind saw since the last reset. */
export interface ProviderProcess {
  stats(): Promise<Record<string, { calls: number, throttled: number, maxPerSecond: number }>>
  reset(): Promise<void>
}

export interface ReplicaSharing {
  search: string
  replicas: number
  requests: number
  ok: number
  /** The fewest calls the API limits allow for one request (lib/floors.ts). */
  minimumCalls: number
  /** The calls the planner plans for one request. */
  plannedCalls: number
  /** Calls the simulated providers received during the burst, from every replica. */
  callsMade: number
  throttled: number
  /** The API whose busiest second came closest to its QPS. */
  busiest: { kind: string, maxPerSecond: number, qps: number }
  wallMs: number
  /** Per replica, from its /metrics after the burst: calls it made, calls it waited for, and calls made without Redis. */
  perReplica: Array<{ upstreamCalls: number, outcomes: Record<string, number>, joins: number, budgetFallbacks: number, coalescingFallbacks: number }>
}

export interface ReplicaSharingOptions {
  redisUrl: string
  zone: string
  /** Identical requests in all, spread evenly over the replicas. */
  requests: number
  providers: ProviderProcess
  /** Starts one service process with these variables added to its environment. */
  start: (label: string, environment: Record<string, string>) => Promise<ReplicaProcess>
  log: (message: string) => void
}

export async function replicaSharing (options: ReplicaSharingOptions): Promise<ReplicaSharing> {
  const environment = {
    USAGE_REDIS_URL: options.redisUrl,
    USAGE_REDIS_KEY_PREFIX: `usage-bench:${randomUUID()}:`,
    USAGE_REPLICAS: String(REPLICA_COUNT)
  }
  const replicas: ReplicaProcess[] = []
  try {
    for (let index = 0; index < REPLICA_COUNT; index++) replicas.push(await options.start(`replica-${index + 1}`, environment))
    for (const replica of replicas) {
      const readiness = await replica.get(`${replica.serviceUrl}/readyz`)
      const redis = (JSON.parse(readiness.text) as { redis?: string }).redis
      if (redis !== 'connected') throw new Error(`6. replicas: a replica reports Redis ${redis ?? 'not configured'}; check BENCH_REDIS_URL / USAGE_TEST_REDIS_URL`)
    }
    // The query of scenario 1 (90-day day, all sources): several seconds of gated calls for the slowest APIs.
    const search = usageSearch({ now: Date.now(), zone: options.zone, fromDay: -89, toDay: 1, granularity: 'day', timeoutSeconds: 120 })
    const plan = await replicas[0]!.plan(search)
    const planned = plan.sources.reduce((sum, source) => sum + source.plannedCalls, 0)
    if (planned > plan.limits.maxUpstreamCalls) throw new Error(`6. replicas: the query plans ${planned} calls, above USAGE_MAX_UPSTREAM_CALLS (${plan.limits.maxUpstreamCalls})`)
    const minimumCalls = plan.sources.reduce((sum, source) => sum + source.minimumCalls, 0)
    const perReplica = Math.max(1, Math.round(options.requests / REPLICA_COUNT))
    options.log(`6. replicas: ${perReplica * REPLICA_COUNT} identical cold 90-day day requests at once over ${REPLICA_COUNT} replicas sharing Redis (one request: ${planned} calls planned, ${minimumCalls} minimum)`)

    await options.providers.reset()
    const started = performance.now()
    const results = await Promise.all(replicas.map(async replica =>
      await autocannon({ url: `${replica.serviceUrl}/usage?${search}`, connections: perReplica, amount: perReplica, timeout: 120 })))
    const wallMs = performance.now() - started
    const seen = await options.providers.stats()
    const perReplicaReadings = await Promise.all(replicas.map(async replica => readingsOf((await replica.get(`${replica.serviceUrl}/metrics`)).text)))
    options.log(`   per replica: ${perReplicaReadings.map(each => `${each.upstreamCalls} calls ${JSON.stringify(each.outcomes)}, ${each.joins} joins, ${each.budgetFallbacks} + ${each.coalescingFallbacks} fallbacks`).join('; ')}`)

    const qpsOf = new Map(plan.sources.map(source => [source.kind, source.qps]))
    const busiest = Object.entries(seen)
      .filter(([kind]) => qpsOf.has(kind))
      .map(([kind, stats]) => ({ kind, maxPerSecond: stats.maxPerSecond, qps: qpsOf.get(kind)! }))
      .reduce((most, each) => each.maxPerSecond / each.qps > most.maxPerSecond / most.qps ? each : most)
    const sum = (pick: (stats: { calls: number, throttled: number }) => number) => Object.values(seen).reduce((total, stats) => total + pick(stats), 0)
    options.log(`   → ${sum(stats => stats.calls)} upstream calls in ${(wallMs / 1000).toFixed(2)} s`)
    return {
      search,
      replicas: REPLICA_COUNT,
      requests: perReplica * REPLICA_COUNT,
      ok: results.reduce((total, result) => total + result['2xx'], 0),
      minimumCalls,
      plannedCalls: planned,
      callsMade: sum(stats => stats.calls),
      throttled: sum(stats => stats.throttled),
      busiest,
      wallMs,
      perReplica: perReplicaReadings
    }
  } finally {
    await Promise.all(replicas.map(async replica => { await replica.stop() }))
  }
}

function readingsOf (metrics: string): ReplicaSharing['perReplica'][number] {
  const sum = (prefix: string) => metrics.split('\n').filter(line => line.startsWith(prefix)).reduce((total, line) => total + Number(line.split(' ').at(-1)), 0)
  const outcomes: Record<string, number> = {}
  for (const line of metrics.split('\n').filter(each => each.startsWith('usage_service_upstream_calls_total{'))) {
    const outcome = /outcome="([^"]*)"/.exec(line)?.[1] ?? 'unknown'
    outcomes[outcome] = (outcomes[outcome] ?? 0) + Number(line.split(' ').at(-1))
  }
  return {
    upstreamCalls: sum('usage_service_upstream_calls_total{'),
    outcomes,
    joins: sum('usage_service_replica_coalesced_joins_total{'),
    budgetFallbacks: sum('usage_service_redis_fallbacks_total{component="budget"}'),
    coalescingFallbacks: sum('usage_service_redis_fallbacks_total{component="coalescing"}')
  }
}

export function replicaRows (result: ReplicaSharing): Row[] {
  const scenario = '6 replicas'
  return [
    {
      scenario,
      figure: `${result.requests} identical cold requests over ${result.replicas}: calls made`,
      measured: `${result.callsMade} (${result.throttled} throttled; ${result.ok} ok)`,
      baseline: `${result.minimumCalls} minimum`,
      ratio: result.minimumCalls > 0 ? result.callsMade / result.minimumCalls : null,
      target: { kind: 'equal', value: 1 }
    },
    {
      scenario,
      figure: 'calls made / one request\'s planned calls',
      measured: `${result.callsMade}`,
      baseline: `${result.plannedCalls} planned`,
      ratio: result.plannedCalls > 0 ? result.callsMade / result.plannedCalls : null,
      target: { kind: 'equal', value: 1 }
    },
    {
      scenario,
      figure: 'busiest second / QPS (closest API)',
      measured: `${result.busiest.maxPerSecond} calls (${result.busiest.kind})`,
      baseline: `${result.busiest.qps} QPS`,
      ratio: result.busiest.maxPerSecond / result.busiest.qps,
      target: { kind: 'max', value: 1 }
    }
  ]
}
