/**
 * Everything the app needs that outlives a request: sources with their executors, the upstream HTTP
 * transport and, in the embedded default, the simulated providers. Built once at boot, closed at shutdown.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from './clock.js'
import { startEmbeddedSources, type EmbeddedSources } from './config/embedded-sources.js'
import type { ServiceConfig } from './config/load-config.js'
import { createUpstreamHttp, type UpstreamHttp } from './http/upstream-http.js'
import { findAdapter } from './providers/registry.js'
import type { SourceConfig } from './usage/source-adapter.js'
import { SourceExecutor, type RuntimeSource } from './usage/source-executor.js'

export interface Runtime {
  sources: RuntimeSource[]
  http: UpstreamHttp
  embedded: EmbeddedSources | null
  close(): Promise<void>
}

export async function createRuntime (config: ServiceConfig, clock: Clock, options: { dispatcher?: Dispatcher } = {}): Promise<Runtime> {
  const embedded = config.sources === 'embedded'
    ? await startEmbeddedSources({ clock, latencyMs: config.simulatorLatencyMs })
    : null
  const sourceConfigs: SourceConfig[] = embedded ? embedded.sources : config.sources as SourceConfig[]
  const http = createUpstreamHttp({ dispatcher: options.dispatcher, timeoutMs: config.upstreamTimeoutMs })
  const sources = sourceConfigs.map(source => {
    const adapter = findAdapter(source.kind)
    if (!adapter) throw new Error(`no adapter for kind ${source.kind}`)
    return { config: source, adapter, executor: new SourceExecutor(source, adapter, http, clock) }
  })
  return {
    sources,
    http,
    embedded,
    close: async () => {
      await http.close()
      await embedded?.close()
    }
  }
}
