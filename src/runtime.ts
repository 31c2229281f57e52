/**
 * Everything the app needs that outlives a request: sources with their executors, the upstream HTTP
 * transport, the answer cache, metrics and, in the embedded default, the simulated providers.
 * Built once at boot, closed at shutdown. This is the one place executors are made: the server, the tests
 * and the benchmark all build their runtime here, changing only what they name in `overrides`.
 */
import type { Logger } from 'pino'
import type { Dispatcher } from 'undici'
import type { Clock } from './clock.js'
import { startEmbeddedSources, type EmbeddedSources } from './config/embedded-sources.js'
import { loadConfig, type ServiceConfig } from './config/load-config.js'
import { createUpstreamHttp, type UpstreamHttp } from './http/upstream-http.js'
import { UsageMetrics } from './observability/usage-metrics.js'
import { findAdapter } from './providers/registry.js'
import type { RedisHealth } from './replicas/redis-connection.js'
import { startReplicaSharing, type ReplicaSharing } from './replicas/replica-sharing.js'
import { BudgetRegistry, type Budget } from './usage/call-budget.js'
import { CallCache } from './usage/call-cache.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './usage/retry-policy.js'
import type { SourceAdapter, SourceConfig } from './usage/source-adapter.js'
import { createSourceExecutor, type ExecutorServices, type RuntimeSource } from './usage/source-executor.js'
import { LedgerConnection } from './ledger/ledger-connection.js'
import type { LedgerStore } from './ledger/ledger-store.js'
import type { StoreLocation } from './ledger/store-url.js'

export interface Runtime {
  sources: RuntimeSource[]
  metrics: UsageMetrics
  /** One call budget per account and API, whatever the number of sources using it (shared by replicas with Redis). */
  budgets: BudgetRegistry<Budget>
  embedded: EmbeddedSources | null
  /** Health of the Redis the replicas share, or null when none is configured (everything in-process). */
  redisHealth: () => RedisHealth | null
  /** The usage ledger every query reads first; null when none is kept (tests unless they ask for one). */
  ledger: LedgerConnection | null
  close(): Promise<void>
}

/** What a test or the benchmark changes; everything else is what the configuration says. */
export interface RuntimeOverrides {
  /** These sources instead of the configured ones (and no simulated providers are started for them). */
  sources?: readonly SourceConfig[]
  /** Adapters used before the registry's, by kind: fakes in tests, wrapped adapters in the benchmark. */
  adapters?: ReadonlyArray<SourceAdapter<any>>
  /** The upstream transport; its owner closes it, not the runtime. */
  http?: UpstreamHttp
  /** Where a transport made here sends its requests. */
  dispatcher?: Dispatcher
  /** false: no answer cache. */
  cache?: false
  /** false: no call budgets, for replays that never reach a provider. */
  budgets?: false
  retry?: RetryPolicy
  onCall?: ExecutorServices['onCall']
  /** By default a registry with the process metrics, as the server exposes. */
  metrics?: UsageMetrics
  /**
   * The usage ledger instead of the configured one (USAGE_STORE_URL): a place to open (with its schema), a store
   * already open (closed with the runtime), or false for none.
   */
  ledger?: false | { location: StoreLocation, schema?: string } | LedgerStore
}

export interface RuntimeOptions {
  /** The defaults of an empty environment when omitted. */
  config?: ServiceConfig
  clock: Clock
  /** Where Redis outages and recoveries are logged, once each. */
  logger?: Pick<Logger, 'warn' | 'info'>
  overrides?: RuntimeOverrides
}

export async function createRuntime ({ config = loadConfig({}), clock, logger, overrides = {} }: RuntimeOptions): Promise<Runtime> {
  const embedded = overrides.sources === undefined && config.sources === 'embedded'
    ? await startEmbeddedSources({ clock, latencyMs: config.simulatorLatencyMs })
    : null
  const sourceConfigs: readonly SourceConfig[] = overrides.sources ?? (embedded ? embedded.sources : config.sources as SourceConfig[])
  const ownHttp = overrides.http === undefined ? createUpstreamHttp({ dispatcher: overrides.dispatcher, timeoutMs: config.upstreamTimeoutMs }) : null
  const metrics = overrides.metrics ?? new UsageMetrics({ processMetrics: true, buildCommit: config.buildCommit })
  // With Redis the replicas share budgets, coalescing and provisional answers; a replay that calls no provider needs none of it.
  const sharing: ReplicaSharing | null = config.replicas.redisUrl !== null && overrides.budgets !== false
    ? await startReplicaSharing({ redisUrl: config.replicas.redisUrl, replicas: config.replicas.count, keyPrefix: config.replicas.keyPrefix, sources: sourceConfigs, clock, logger })
    : null
  const budgets: BudgetRegistry<Budget> = sharing?.budgets ?? BudgetRegistry.inProcess(sourceConfigs)
  metrics.watchBudgets(sourceConfigs.map(source => source.id), sharing?.readings(sourceConfigs) ?? null)
  const services: ExecutorServices = {
    http: overrides.http ?? ownHttp!,
    clock,
    metrics,
    budgets: overrides.budgets ?? budgets,
    replicas: sharing === null ? undefined : { coalescer: sharing.coalescer, cache: sharing.cache },
    cache: overrides.cache === false ? undefined : new CallCache(clock, config.cache.maxBytes),
    finalTtlMs: config.cache.finalTtlMs,
    provisionalTtlMs: config.cache.provisionalTtlMs,
    retry: overrides.retry ?? { ...DEFAULT_RETRY_POLICY, maxAttempts: config.retryMaxAttempts },
    onCall: overrides.onCall
  }
  const ledger = await openLedger(overrides.ledger, config, clock, logger)
  const adapters = new Map((overrides.adapters ?? []).map(adapter => [adapter.kind, adapter]))
  const sources = sourceConfigs.map(source => {
    const adapter = adapters.get(source.kind) ?? findAdapter(source.kind)
    if (!adapter) throw new Error(`no adapter for kind ${source.kind}`)
    return { config: source, adapter, executor: createSourceExecutor(source, adapter, services) }
  })
  return {
    sources,
    metrics,
    budgets,
    embedded,
    redisHealth: () => sharing?.connection.health ?? null,
    ledger,
    close: async () => {
      await ledger?.close()
      await ownHttp?.close()
      await embedded?.close()
      await sharing?.close()
    }
  }
}

/** The configured ledger unless overridden; unreachable is no boot failure (see LedgerConnection). */
async function openLedger (
  override: RuntimeOverrides['ledger'], config: ServiceConfig, clock: Clock, logger: RuntimeOptions['logger']
): Promise<LedgerConnection | null> {
  if (override === false) return null
  if (override === undefined) return config.store === null ? null : await LedgerConnection.open({ location: config.store, clock, logger })
  if ('location' in override) return await LedgerConnection.open({ location: override.location, schema: override.schema, clock, logger })
  return LedgerConnection.of(override)
}

export { type UpstreamHttp }
