/**
 * A service over a fake adapter whose data a test controls, with a usage ledger, reached through real HTTP:
 * the ledger's read path end to end without a simulator's own rules in the way.
 */
import type { Test } from 'tap'
import { request } from 'undici'
import { fixedClock } from '../../../src/clock.js'
import type { RuntimeOverrides, Runtime } from '../../../src/runtime.js'
import { catalogResponseSchema, type CatalogResponse } from '../../../src/schemas/catalog-schema.js'
import { errorResponseSchema } from '../../../src/schemas/error-schema.js'
import { usageResponseSchema } from '../../../src/schemas/usage-response-schema.js'
import type { FetchResult, SourceAdapter, UpstreamCall, UsageRecord } from '../../../src/usage/source-adapter.js'
import type { UsageResponse } from '../../../src/usage/usage-response.js'
import type { z } from 'zod'
import { build } from '../../support/build.js'
import { checkedBody } from '../../support/checked-body.js'
import { HOUR, fakeAdapter, fakeSource, type FakeAdapterOptions } from '../../support/fake-adapter.js'
import type { ErrorResponse } from '../../support/test-service.js'

export const SOURCE_ID = 'fake-1'

/** What the fake provider reports for one hour: a value per hour start, undefined for "no usage". */
export type HourlyData = Map<number, number>

export interface LedgerService {
  url: string
  clock: ReturnType<typeof fixedClock>
  runtime: Runtime
  adapter: SourceAdapter<unknown> & { calls: UpstreamCall[] }
  /** Any answer; `json` is whatever the body parsed to, for a test to narrow. */
  get(path: string): Promise<{ status: number, json: unknown }>
  /** An answer whose body must be the catalog (any status). */
  getCatalog(path?: string): Promise<{ status: number, json: CatalogResponse }>
  /** An answer whose body must be the error shape. */
  getError(path: string): Promise<{ status: number, json: ErrorResponse }>
  /** A 200 usage answer, checked against the documented schema. */
  usage(path: string): Promise<UsageResponse>
}

export async function startLedgerService (t: Test, options: {
  /** The service's clock; share it with a store opened by the test, so revisions are stamped on the same time. */
  clock: ReturnType<typeof fixedClock>
  ledger: RuntimeOverrides['ledger']
  /** SOURCE_ID unless given: tests sharing one store keep apart by source. */
  sourceId?: string
  data: HourlyData
  adapter?: Omit<FakeAdapterOptions, 'answer'>
  /** Runs before the fake provider answers (e.g. to take the store away mid-request). */
  beforeAnswer?: (call: UpstreamCall) => Promise<void> | void
}): Promise<LedgerService> {
  const clock = options.clock
  const adapter = fakeAdapter({
    ...options.adapter,
    answer: async (call): Promise<FetchResult> => {
      await options.beforeAnswer?.(call)
      const records: UsageRecord[] = []
      for (let start = call.window.from; start < call.window.to; start += HOUR) {
        const value = options.data.get(start)
        if (value !== undefined) records.push({ metric: 'transcode.duration', start, end: start + HOUR, value, dimensions: { tier: 'hd' } })
      }
      return { records, requestId: `request-${call.window.from}` }
    }
  })
  const { app, runtime } = await build(t, {
    clock,
    overrides: {
      sources: [fakeSource(options.sourceId ?? SOURCE_ID, adapter.kind)],
      adapters: [adapter],
      cache: false,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      ledger: options.ledger
    }
  })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const get = async (path: string): Promise<{ status: number, json: unknown }> => {
    const response = await request(url + path)
    const text = await response.body.text()
    return { status: response.statusCode, json: JSON.parse(text) }
  }
  /** `get`, failing with the status and the body when the body is not what the schema documents. */
  const checked = <Body>(schema: z.ZodType<Body>) => async (path: string) => {
    const { status, json } = await get(path)
    return { status, json: checkedBody(schema, `GET ${path}: ${status} ${JSON.stringify(json).slice(0, 1000)}`, json) }
  }
  return {
    url,
    clock,
    runtime,
    adapter,
    get,
    getCatalog: (path = '/usage/catalog') => checked(catalogResponseSchema)(path),
    getError: checked(errorResponseSchema),
    async usage (path) {
      const { status, json } = await get(path)
      if (status !== 200) throw new Error(`GET ${path}: ${status} ${JSON.stringify(json)}`)
      return usageResponseSchema.parse(json) as UsageResponse
    }
  }
}

/** One value per hour of [from, to): distinct, so a wrong bucket shows. */
export function hourlyData (from: number, to: number): HourlyData {
  const data: HourlyData = new Map()
  for (let start = from; start < to; start += HOUR) data.set(start, 1 + ((start / HOUR) % 97) * 60)
  return data
}

/** The points of every series, as a billing run would compare them. */
export function valuesOf (answer: UsageResponse): unknown {
  return answer.series.map(series => ({ metric: series.metric, dimensions: series.dimensions, total: series.total, points: series.points }))
}
