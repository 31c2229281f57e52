/**
 * What the multi-replica tests share: one set of simulated providers (each behind a holding proxy, so a test
 * decides when an upstream call answers), a sources file pointing at them, and service processes (src/server.ts)
 * started as replicas with their own environment, read over HTTP as a load balancer's clients would.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { Test } from 'tap'
import { systemClock } from '../../src/clock.js'
import { startEmbeddedSources, type EmbeddedSources } from '../../src/config/embedded-sources.js'
import { SIMULATED_CREDENTIAL_VARIABLES, simulatedSourcesFile } from '../../src/config/simulated-sources-file.js'
import type { SimulatedAccount } from '../../src/simulators/index.js'
import { spawnServer, type ChildServer } from './child-server.js'
import { startHoldingProxy, type HoldingProxy } from './holding-proxy.js'

export interface UsageAnswer {
  complete: boolean
  series: unknown[]
  sources: Array<{ id: string, kind: string, status: string, calls: number, ledgerBuckets: number }>
}

export interface SimulatedProviders {
  account: SimulatedAccount
  simulators: EmbeddedSources['simulators']
  sources: EmbeddedSources['sources']
  /** One holding proxy per source id. */
  proxies: Map<string, HoldingProxy>
  /** Sources file naming the proxies (for replicas under test). */
  proxiedSourcesPath: string
  /** Sources file naming the simulators themselves (for a reference process the test never holds up). */
  directSourcesPath: string
}

/** Simulated providers in this process, each behind a holding proxy; closed when the test ends. */
export async function startSimulatedProviders (t: Test, latencyMs = { min: 0, max: 0 }): Promise<SimulatedProviders> {
  const account = { accessKeyId: 'SIMULATED' + randomBytes(6).toString('hex').toUpperCase(), accessKeySecret: randomBytes(24).toString('base64url') }
  const embedded = await startEmbeddedSources({ clock: systemClock, latencyMs, account })
  t.teardown(() => embedded.close())
  const proxies = new Map(await Promise.all(embedded.sources.map(async source => [source.id, await startHoldingProxy(source.endpoint)] as const)))
  t.teardown(async () => { await Promise.all([...proxies.values()].map(async proxy => await proxy.close())) })
  const directory = mkdtempSync(join(tmpdir(), 'usage-replicas-'))
  const proxiedSourcesPath = join(directory, 'proxied-sources.json')
  writeFileSync(proxiedSourcesPath, JSON.stringify(simulatedSourcesFile(embedded.sources.map(source => ({ ...source, endpoint: proxies.get(source.id)!.url })))))
  const directSourcesPath = join(directory, 'direct-sources.json')
  writeFileSync(directSourcesPath, JSON.stringify(simulatedSourcesFile(embedded.sources)))
  return { account, simulators: embedded.simulators, sources: embedded.sources, proxies, proxiedSourcesPath, directSourcesPath }
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
