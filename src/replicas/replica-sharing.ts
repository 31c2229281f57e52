/**
 * What a replica shares with the others through Redis, built once at boot when USAGE_REDIS_URL is set: the one
 * connection (its outages logged once each), a replicated budget per account and API, the shared coalescer and
 * the shared provisional cache. Redis failing never fails a call: each piece falls back to what one process does
 * alone, and goes back to sharing when Redis answers again.
 */
import type { Logger } from 'pino'
import type { Clock } from '../clock.js'
import type { ReplicaReadings } from '../observability/usage-metrics.js'
import { BudgetRegistry } from '../usage/call-budget.js'
import type { SourceConfig } from '../usage/source-adapter.js'
import { RedisConnection, type RedisConnectionOptions } from './redis-connection.js'
import { logRedisHealth } from './redis-health-log.js'
import { ReplicatedCallBudget } from './replicated-call-budget.js'
import { SharedCallCache } from './shared-call-cache.js'
import { SharedCoalescer } from './shared-coalescer.js'

export interface ReplicaSharing {
  connection: RedisConnection
  budgets: BudgetRegistry<ReplicatedCallBudget>
  coalescer: SharedCoalescer
  cache: SharedCallCache
  /** For /metrics: budget modes, Redis health and fallbacks. */
  readings (sources: readonly SourceConfig[]): ReplicaReadings
  close(): Promise<void>
}

export interface ReplicaSharingOptions {
  redisUrl: string
  /** USAGE_REPLICAS: each replica's share of a budget while Redis cannot be reached is 1/replicas of it. */
  replicas: number
  /** Prefix of every key written (USAGE_REDIS_KEY_PREFIX). */
  keyPrefix?: string
  sources: readonly SourceConfig[]
  clock: Clock
  logger?: Pick<Logger, 'warn' | 'info'>
  connection?: RedisConnectionOptions
}

/** Resolves once Redis has answered or failed once, so the first requests already share when it is there. */
export async function startReplicaSharing (options: ReplicaSharingOptions): Promise<ReplicaSharing> {
  const { keyPrefix } = options
  const connection = new RedisConnection(options.redisUrl, options.connection)
  if (options.logger) logRedisHealth(connection, options.logger)
  await connection.waitUntilSettled()
  const budgets = new BudgetRegistry(options.sources, (key, limits) => new ReplicatedCallBudget(connection, key, { ...limits, replicas: options.replicas, keyPrefix }))
  const coalescer = new SharedCoalescer(connection, { keyPrefix })
  const budgetList = [...new Set(options.sources.map(source => budgets.budgetFor(source)))]
  return {
    connection,
    budgets,
    coalescer,
    cache: new SharedCallCache(connection, options.clock, { keyPrefix }),
    readings: sources => {
      const bySource = new Map(sources.map(source => [source.id, budgets.budgetFor(source)]))
      return {
        budgetMode: sourceId => bySource.get(sourceId)?.mode ?? 'local',
        redisConnected: () => connection.isConnected,
        fallbacks: () => ({ budget: budgetList.reduce((sum, budget) => sum + budget.fallbacks, 0), coalescing: coalescer.fallbacks })
      }
    },
    close: async () => { await connection.close() }
  }
}
