/**
 * What the multi-replica tests share: one set of simulated providers in a process of their own, started as a user
 * starts them (`npm run simulate`, here src/simulators/simulate-cli.ts through the same loader as the service),
 * each reached through a holding proxy in this process (so a test decides when an upstream call answers), sources
 * files pointing at them, and service processes (src/server.ts) started as replicas with their own environment,
 * read over HTTP as a load balancer's clients would. What the providers saw is read from the simulators' records
 * endpoint (`--stats-port`), never from their memory.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { Test } from 'tap'
import { SIMULATED_CREDENTIAL_VARIABLES } from '../../src/config/simulated-sources-file.js'
import type { SourceEntry } from '../../src/config/sources-file.js'
import { findAdapter } from '../../src/providers/registry.js'
import { SimulatorStats, type SimulatedAccount, type SimulatorCall } from '../../src/simulators/index.js'
import { spawnEntryPoint, spawnServer, type ChildServer } from './child-server.js'
import { startHoldingProxy, type HoldingProxy } from './holding-proxy.js'

export interface UsageAnswer {
  complete: boolean
  series: unknown[]
  sources: Array<{ id: string, kind: string, status: string, calls: number, ledgerBuckets: number }>
}

/** How many calls each simulator (by kind) had logged at some moment: what `records(since)` leaves out. */
export type CallMarks = Record<string, number>

export interface SimulatedProviders {
  account: SimulatedAccount
  /** The sources file simulate-cli wrote (endpoints: the simulators themselves). */
  sources: SourceEntry[]
  /** One holding proxy per source id. */
  proxies: Map<string, HoldingProxy>
  /** Sources file naming the proxies (for replicas under test). */
  proxiedSourcesPath: string
  /** Sources file naming the simulators themselves (for a reference process the test never holds up). */
  directSourcesPath: string
  /** The simulators' process; killed when the test ends. */
  simulatorProcess: ChildServer
  /**
   * The calls each simulator (by kind) has logged, read from its process; with `since`, only those after that mark
   * (the endpoint is read-only: "since" replaces resetting the simulators' logs). `kind`: that simulator only.
   */
  records(since?: CallMarks, kind?: string): Promise<Record<string, SimulatorStats>>
  /** The mark for "from now on". */
  mark(): Promise<CallMarks>
}

/**
 * The simulated providers as a process of their own on ephemeral ports (`--port-base 0 --stats-port 0`), with the
 * account's keys passed as an operator would, each behind a holding proxy; everything is stopped when the test ends.
 */
export async function startSimulatedProviders (t: Test, latencyMs = { min: 0, max: 0 }): Promise<SimulatedProviders> {
  const account = { accessKeyId: 'SIMULATED' + randomBytes(6).toString('hex').toUpperCase(), accessKeySecret: randomBytes(24).toString('base64url') }
  const directory = mkdtempSync(join(tmpdir(), 'usage-replicas-'))
  t.teardown(() => { rmSync(directory, { recursive: true, force: true }) })
  const directSourcesPath = join(directory, 'direct-sources.json')
  const simulatorProcess = spawnEntryPoint(t, {
    entry: 'src/simulators/simulate-cli.ts',
    args: ['--port-base', '0', '--stats-port', '0', '--write', directSourcesPath],
    env: {
      [SIMULATED_CREDENTIAL_VARIABLES.accessKeyIdEnv]: account.accessKeyId,
      [SIMULATED_CREDENTIAL_VARIABLES.accessKeySecretEnv]: account.accessKeySecret,
      USAGE_SIMULATOR_LATENCY_MS: `${latencyMs.min}-${latencyMs.max}`
    },
    lines: 'stderr'
  })
  // Its last line at startup: the sources file is written and the records are served by then.
  await simulatorProcess.waitFor(line => String(line.msg).startsWith('simulated providers listening: '))
  const recordsUrl = String(simulatorProcess.lines.find(line => String(line.msg).startsWith('simulator records: '))?.msg ?? '').replace('simulator records: ', '')
  if (recordsUrl === '') throw new Error(`simulate-cli printed no records URL; stderr: ${simulatorProcess.stderr()}`)
  const sources = (JSON.parse(readFileSync(directSourcesPath, 'utf8')) as { sources: SourceEntry[] }).sources

  const proxies = new Map(await Promise.all(sources.map(async source => [source.id, await startHoldingProxy(source.endpoint!)] as const)))
  t.teardown(async () => { await Promise.all([...proxies.values()].map(async proxy => await proxy.close())) })
  const proxiedSourcesPath = join(directory, 'proxied-sources.json')
  writeFileSync(proxiedSourcesPath, JSON.stringify({ sources: sources.map(source => ({ ...source, endpoint: proxies.get(source.id)!.url })) }))

  const records = async (since: CallMarks = {}, kind?: string): Promise<Record<string, SimulatorStats>> => {
    const response = await fetch(kind === undefined ? recordsUrl : `${recordsUrl}?kind=${encodeURIComponent(kind)}`)
    if (!response.ok) throw new Error(`simulator records: HTTP ${response.status}`)
    const calls = await response.json() as Record<string, SimulatorCall[]>
    return Object.fromEntries(Object.entries(calls).map(([each, logged]) => [each, statsOf(logged.slice(since[each] ?? 0))]))
  }
  const mark = async (): Promise<CallMarks> =>
    Object.fromEntries(Object.entries(await records()).map(([kind, stats]) => [kind, stats.count()]))
  return { account, sources, proxies, proxiedSourcesPath, directSourcesPath, simulatorProcess, records, mark }
}

/** The simulators' own arithmetic (busiest second, throttled answers) over calls read from their process. */
function statsOf (calls: SimulatorCall[]): SimulatorStats {
  const stats = new SimulatorStats()
  for (const call of calls) stats.record(call)
  return stats
}

/**
 * What a provider would see of the replicas together: no throttled answer from any simulator, and at most the
 * API's documented QPS in any second for each account and API (the provider's limiter key).
 */
export function checkProviderLimits (t: Test, records: Record<string, SimulatorStats>): void {
  for (const [kind, stats] of Object.entries(records)) {
    const qps = findAdapter(kind)!.limits.defaultQps
    t.equal(stats.throttled(), 0, `${kind}: no throttled response`)
    const accounts = new Set(stats.calls.map(call => call.accessKeyId))
    for (const accessKeyId of accounts) {
      const ofAccount = statsOf(stats.calls.filter(call => call.accessKeyId === accessKeyId))
      for (const action of new Set(ofAccount.calls.map(call => call.action))) {
        const most = ofAccount.maxCallsPerSecond(action)
        t.ok(most <= qps, `${kind} ${action}${accounts.size > 1 ? ` (${accessKeyId})` : ''}: at most ${qps} calls in any second (saw ${most})`)
      }
    }
  }
}

export interface ReplicaOptions {
  sourcesPath: string
  /** Unset: a process on its own, everything in-process. */
  redisUrl?: string
  keyPrefix?: string
  replicas?: number
  /** The usage ledger the replicas share (a PostgreSQL URL); unset: none. Its sync job stays off: tests count calls. */
  storeUrl?: string
}

/**
 * A PostgreSQL database of its own for the replicas' shared ledger (the store keeps its tables in a fixed schema, so
 * a database per test keeps runs apart), dropped when the test ends, after the replicas have stopped.
 */
export async function temporaryLedgerDatabase (t: Test, serverUrl: string): Promise<string> {
  const name = `usage_replicas_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  t.teardown(async () => {
    const cleaner = new pg.Client({ connectionString: serverUrl })
    await cleaner.connect()
    await cleaner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await cleaner.end()
  })
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** The service's environment for one process on loopback, the simulated account's keys passed as an operator would. */
export function replicaEnvironment (providers: SimulatedProviders, options: ReplicaOptions): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    USAGE_SOURCES_FILE: options.sourcesPath,
    [SIMULATED_CREDENTIAL_VARIABLES.accessKeyIdEnv]: providers.account.accessKeyId,
    [SIMULATED_CREDENTIAL_VARIABLES.accessKeySecretEnv]: providers.account.accessKeySecret,
    ...options.redisUrl === undefined ? {} : { USAGE_REDIS_URL: options.redisUrl },
    ...options.keyPrefix === undefined ? {} : { USAGE_REDIS_KEY_PREFIX: options.keyPrefix },
    ...options.replicas === undefined ? {} : { USAGE_REPLICAS: String(options.replicas) },
    ...options.storeUrl === undefined ? {} : { USAGE_STORE_URL: options.storeUrl, USAGE_SYNC_INTERVAL: '0' }
  }
}

export interface Replica {
  base: string
  server: ChildServer
}

/** A service process, once it listens. */
export async function startReplica (t: Test, environment: Record<string, string>): Promise<Replica> {
  const server = spawnServer(t, environment)
  const listening = await server.waitFor(line => /^Server listening at /.test(line.msg ?? ''))
  return { base: listening.msg!.replace('Server listening at ', ''), server }
}

export async function getUsage (base: string, path: string): Promise<{ status: number, body: UsageAnswer }> {
  const response = await fetch(base + path)
  return { status: response.status, body: await response.json() as UsageAnswer }
}

/**
 * The value of one sample of /metrics (`name{labels}` exactly as exposed, e.g.
 * `usage_service_redis_fallbacks_total{component="budget"}`), or 0 when the sample is absent.
 */
export async function metricOf (base: string, sample: string): Promise<number> {
  const text = await (await fetch(base + '/metrics')).text()
  const line = text.split('\n').find(each => each.startsWith(sample + ' '))
  return line === undefined ? 0 : Number(line.split(' ').at(-1))
}

export async function joinsOf (base: string, sourceId: string): Promise<number> {
  return await metricOf(base, `usage_service_replica_coalesced_joins_total{source="${sourceId}"}`)
}
