/**
 * Runs one source's upstream calls within the account's budget: a rate gate at the source's QPS
 * and a cap on calls in flight, both shared by every request to that source.
 */
import pLimit, { type LimitFunction } from 'p-limit'
import type { Clock } from '../clock.js'
import type { UpstreamHttp } from '../http/upstream-http.js'
import { RateGate } from './rate-gate.js'
import type { FetchResult, SourceAdapter, SourceConfig, UpstreamCall } from './source-adapter.js'

export interface RuntimeSource {
  config: SourceConfig<unknown>
  adapter: SourceAdapter<unknown>
  executor: SourceExecutor
}

export class SourceExecutor {
  private readonly gate: RateGate
  private readonly limit: LimitFunction

  constructor (
    private readonly source: SourceConfig<unknown>,
    private readonly adapter: SourceAdapter<unknown>,
    private readonly http: UpstreamHttp,
    private readonly clock: Clock
  ) {
    this.gate = new RateGate(source.qps)
    this.limit = pLimit(source.concurrency)
  }

  async run (call: UpstreamCall, signal: AbortSignal): Promise<FetchResult> {
    return this.limit(async () => {
      const release = await this.gate.acquire(signal)
      try {
        return await this.adapter.fetch(call, { source: this.source, http: this.http, clock: this.clock, signal })
      } finally {
        release()
      }
    })
  }
}
