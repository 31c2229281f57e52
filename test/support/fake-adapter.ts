/** A recording fake of the adapter interface, for planner, orchestration and route tests without HTTP. */
import { z } from 'zod'
import type { NativeGrid } from '../../src/time/index.js'
import type { CallVariant, FetchResult, SourceAdapter, SourceConfig, UpstreamCall, UsageRecord } from '../../src/usage/source-adapter.js'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR
export const HOURLY_UTC: NativeGrid = { stepMs: HOUR, offsetMs: 0, label: 'hour (UTC)' }

export interface FakeAdapterOptions {
  kind?: string
  grids?: NativeGrid[] | 'any'
  maxSpanMs?: number
  lookbackMs?: number
  settleDelayMs?: number
  metrics?: string[]
  variants?: (query: Parameters<SourceAdapter['variants']>[0]) => CallVariant[]
  /** Answers one call; default: one record of value 60 per native bucket per metric. */
  answer?: (call: UpstreamCall) => Promise<FetchResult> | FetchResult
}

export function fakeAdapter (options: FakeAdapterOptions = {}): SourceAdapter<unknown> & { calls: UpstreamCall[] } {
  const calls: UpstreamCall[] = []
  const metrics = options.metrics ?? ['transcode.duration']
  const grids = options.grids ?? [HOURLY_UTC]
  return {
    calls,
    specificationVersion: 'v1',
    kind: options.kind ?? 'fake.kind',
    provider: 'aliyun',
    title: 'fake',
    defaultEndpoint: 'http://127.0.0.1:9',
    limits: { maxSpanMs: options.maxSpanMs ?? 31 * DAY, minSpanMs: 0, lookbackMs: options.lookbackMs ?? 90 * DAY, defaultQps: 100 },
    nativeBuckets: grids === 'any' ? { kind: 'any', description: 'any range' } : { kind: 'grid', grids },
    settleDelayMs: options.settleDelayMs ?? 0,
    metrics: metrics.map(metric => ({ metric, providerFields: ['Field'], dimensions: ['tier'], conversion: 'none', coverage: 'whatever the test returns' })),
    dimensions: ['tier'],
    filterDimensions: ['tier'],
    settingsSchema: z.unknown(),
    variants: options.variants ?? (() => [{ parameters: {}, dimensions: {} }]),
    async fetch (call) {
      calls.push(call)
      if (options.answer) return options.answer(call)
      const records: UsageRecord[] = []
      const step = call.grid?.stepMs ?? call.window.to - call.window.from
      for (let start = call.window.from; start < call.window.to; start += step) {
        for (const metric of metrics) records.push({ metric, start, end: start + step, value: 60, dimensions: { tier: 'hd' } })
      }
      return { records, requestId: null }
    }
  }
}

export function fakeSource (id = 'fake-1', kind = 'fake.kind'): SourceConfig<unknown> {
  return {
    id,
    kind,
    endpoint: 'http://127.0.0.1:9',
    qps: 1000,
    concurrency: 16,
    credentials: { accessKeyId: 'id', accessKeySecret: 'secret' },
    simulated: true,
    settings: {}
  }
}
