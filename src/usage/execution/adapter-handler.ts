/** The bottom of the stack: one upstream attempt through the source's adapter, signed afresh each time. */
import type { Clock } from '../../clock.js'
import type { UpstreamHttp } from '../../http/upstream-http.js'
import type { SourceAdapter, SourceConfig } from '../source-adapter.js'
import type { CallHandler } from './call-layer.js'

export function adapterHandler (source: SourceConfig<unknown>, adapter: SourceAdapter<unknown>, services: { http: UpstreamHttp, clock: Clock }): CallHandler {
  return async (call, context) => {
    const result = await adapter.fetch(call, { source, http: services.http, clock: services.clock, signal: context.signal })
    return { result, cachedAt: null }
  }
}
