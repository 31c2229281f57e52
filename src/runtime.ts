/**
 * Everything the app needs that outlives a request: sources with their executors, the upstream HTTP
 * transport, the answer cache, metrics and, in the embedded default, the simulated providers.
 * Built once at boot, closed at shutdown.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from './clock.js'
import { startEmbeddedSources, type EmbeddedSources } from './config/embedded-sources.js'
import type { ServiceConfig } from './config/load-config.js'
import { createUpstreamHttp, type UpstreamHttp } from './http/upstream-http.js'
import { UsageMetrics } from './observability/usage-metrics.js'
import { findAdapter } from './providers/registry.js'
import { BudgetRegistry } from './usage/call-budget.js'
import { CallCache } from './usage/call-cache.js'
import { DEFAULT_RETRY_POLICY } from './usage/retry-policy.js'
import type { SourceAdapter, SourceConfig } from './usage/source-adapter.js'
import { SourceExecutor, type ExecutorServices, type RuntimeSource } from './usage/source-executor.js'

export interface Runtime {
  sources: RuntimeSource[]
  metrics: UsageMetrics
  /** One call budget per account and API, whatever the number of sources using it. */
  budgets: BudgetRegistry
  embedded: EmbeddedSources | null
  close(): Promise<void>
}

export interface RuntimeOptions {
  dispatcher?: Dispatcher
  onCall?: ExecutorServices['onCall']
  /** Adapters by kind; the registry's by default (tests add their own). */
  findAdapter?: (kind: string) => SourceAdapter<any> | undefined
}

export async function createRuntime (config: ServiceConfig, clock: Clock, options: RuntimeOptions = {}): Promise<Runtime> {
  const embedded = config.sources === 'embedded'
    ? await startEmbeddedSources({ clock, latencyMs: config.simulatorLatencyMs })
    : null
  const sourceConfigs: SourceConfig[] = embedded ? embedded.sources : config.sources as SourceConfig[]
  const http = createUpstreamHttp({ dispatcher: options.dispatcher, timeoutMs: config.upstreamTimeoutMs })
  const metrics = new UsageMetrics({ processMetrics: true })
  const budgets = new BudgetRegistry(sourceConfigs)
  const services: ExecutorServices = {
    http,
    clock,
    metrics,
    budgets,
    cache: new CallCache(clock, config.cache.maxBytes),
    finalTtlMs: config.cache.finalTtlMs,
    provisionalTtlMs: config.cache.provisionalTtlMs,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: config.retryMaxAttempts },
    onCall: options.onCall
  }
  const lookup = options.findAdapter ?? findAdapter
  const sources = sourceConfigs.map(source => {
    const adapter = lookup(source.kind)
    if (!adapter) throw new Error(`no adapter for kind ${source.kind}`)
    return { config: source, adapter, executor: new SourceExecutor(source, adapter, services) }
  })
  return {
    sources,
    metrics,
    budgets,
    embedded,
    close: async () => {
      await http.close()
      await embedded?.close()
    }
  }
}

export { type UpstreamHttp }
