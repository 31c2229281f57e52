// Provider facts: docs/providers/aliyun-live-producer.md
/**
 * Source kind `aliyun.live-producer`: production-studio usage, asked for in hourly buckets
 * (Interval=3600) so any zone whose boundaries are whole UTC hours aligns.
 */
import { z } from 'zod'
import { formatUtcSeconds, type NativeGrid } from '../../time/index.js'
import type { Dimension } from '../../usage/source-adapter.js'
import type { CallVariant, PushdownQuery, SourceAdapter } from '../../usage/source-adapter.js'
import { callAliyunRpc } from '../aliyun/aliyun-rpc-call.js'
import { convertAnswer, parseAnswer } from '../utils/provider-answer.js'
import { convertLiveProducerUsage } from './convert-live-producer-usage.js'
import {
  DURATION_FIELDS, LIVE_PRODUCER_ACTION, LIVE_VERSION, SPLIT_DIMENSIONS, liveProducerResponseSchema
} from './live-producer-api.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const HOURLY_UTC: NativeGrid = { stepMs: HOUR_MS, offsetMs: 0, label: 'hour (UTC)' }

const settingsSchema = z.object({
  /** The RegionId common parameter; the API returns all regions' data whatever it is. */
  regionId: z.string().min(1).default('cn-shanghai')
}).strict()

export type LiveProducerSettings = z.infer<typeof settingsSchema>

const PRODUCER_COVERAGE = 'Every item must carry all six duration fields (zeros included, as documented) and every field the ' +
  'call split by; an absent or null one, an item listed twice, or seconds past 2^53 − 1 refuse the answer (UPSTREAM_MALFORMED). ' +
  'An hour without items reads 0. Every region and type is counted whatever RegionId; region, type, domain and instance ' +
  'filters are pushed down and split by.'

type SplitName = keyof typeof SPLIT_DIMENSIONS
const SPLIT_NAMES = Object.keys(SPLIT_DIMENSIONS) as SplitName[]

/**
 * One call's request parameters as lists, turned into the API's comma lists only when the request is built.
 * A type, not an interface: the spec requires plain JSON data, which only a type alias is checked against.
 */
export type LiveProducerCallParameters = {
  /** The RegionId common parameter. */
  regionId: string
  /** The dimensions the answer is split by (SplitBy): every item must then carry each of their fields. */
  splitBy: SplitName[]
  /** Values each split dimension is filtered to, as the query gave them. */
  filters: { [name in SplitName]?: string[] }
  /** The one app the call asks about (the API takes one per call), or absent for all apps. */
  app?: string
}

export const liveProducerAdapter: SourceAdapter<LiveProducerSettings, LiveProducerCallParameters> = {
  specificationVersion: 'v1',
  kind: 'aliyun.live-producer',
  provider: 'aliyun',
  title: 'Alibaba Live production studio usage (DescribeLiveProducerUsageData)',
  defaultEndpoint: 'https://live.aliyuncs.com',
  limits: { maxSpanMs: 31 * DAY_MS, minSpanMs: HOUR_MS, lookbackMs: 90 * DAY_MS, defaultQps: 5 },
  nativeBuckets: { kind: 'grid', grids: [HOURLY_UTC] },
  // A sibling Live API documents a 4-hour delay for hourly data; nothing is stated for this one.
  settleDelayMs: 4 * HOUR_MS,
  metrics: [
    {
      metric: 'studio.output.duration',
      providerFields: ['OutputLdDuration', 'OutputSdDuration', 'OutputHdDuration'],
      dimensions: ['service', 'tier', 'domain', 'region', 'instance', 'type', 'app'],
      conversion: 'minutes × 60',
      coverage: PRODUCER_COVERAGE
    },
    {
      metric: 'transcode.duration',
      providerFields: ['TranLdDuration', 'TranSdDuration', 'TranHdDuration'],
      dimensions: ['service', 'tier', 'domain', 'region', 'instance', 'type', 'app'],
      conversion: 'minutes × 60',
      coverage: PRODUCER_COVERAGE
    }
  ],
  dimensions: ['service', 'tier', 'domain', 'region', 'instance', 'type', 'app'],
  dimensionValues: { service: 'live-producer', type: 'slidelive, universal' },
  filterDimensions: ['domain', 'region', 'instance', 'type', 'app'],
  settingsSchema,

  variants (query: PushdownQuery, settings: LiveProducerSettings): Array<CallVariant<LiveProducerCallParameters>> {
    // Filtered dimensions are split too, so every record says which value it belongs to.
    const splitBy = SPLIT_NAMES.filter(name => query.groupBy.includes(name) || query.filters[name] !== undefined)
    const filters: LiveProducerCallParameters['filters'] = {}
    for (const name of SPLIT_NAMES) {
      const values = query.filters[name]
      if (values !== undefined) filters[name] = [...values]
    }
    const parameters: LiveProducerCallParameters = { regionId: settings.regionId, splitBy, filters }
    // `app` takes one value per call and cannot be split by, so each app is its own call.
    const apps = query.filters.app
    if (apps === undefined) return [{ parameters, dimensions: {} }]
    return apps.map(app => ({ parameters: { ...parameters, app }, dimensions: { app } }))
  },

  // Split by every split key: an item per combination (see docs/providers/aliyun-live-producer.md, "SplitBy"), whose
  // records, filtered and summed, answer any grouping or filter by those keys; `app` is left to its own calls.
  ledgerVariant (_grid, settings: LiveProducerSettings) {
    return {
      variant: { parameters: { regionId: settings.regionId, splitBy: [...SPLIT_NAMES], filters: {} }, dimensions: {} },
      dimensions: ['service', 'tier', ...SPLIT_NAMES]
    }
  },

  async fetch (call, context) {
    const grid = call.grid ?? HOURLY_UTC
    const answer = await callAliyunRpc({
      action: LIVE_PRODUCER_ACTION,
      version: LIVE_VERSION,
      parameters: {
        ...requestParameters(call.variant.parameters),
        StartTime: formatUtcSeconds(call.window.from),
        // The documented example ends one second before the boundary; the window end is exclusive.
        EndTime: formatUtcSeconds(call.window.to - 1000),
        Interval: String(grid.stepMs / 1000)
      }
    }, context)
    const provider = { api: LIVE_PRODUCER_ACTION, requestId: answer.requestId }
    const items = parseAnswer(liveProducerResponseSchema, answer.body, provider).BillProducerData?.BillProducerDataItem ?? []
    const records = convertAnswer(provider, () =>
      convertLiveProducerUsage(items, call.window, grid, call.variant.dimensions, call.variant.parameters.splitBy.map(name => SPLIT_DIMENSIONS[name].field)))
    return { records, requestId: answer.requestId }
  }
}

/** The API's request parameters for a call's variant: lists become the comma lists the API takes. */
function requestParameters (parameters: LiveProducerCallParameters): Record<string, string> {
  const request: Record<string, string> = { RegionId: parameters.regionId }
  if (parameters.splitBy.length > 0) request.SplitBy = parameters.splitBy.map(name => SPLIT_DIMENSIONS[name].splitBy).join(',')
  for (const name of SPLIT_NAMES) {
    const values = parameters.filters[name]
    if (values !== undefined) request[SPLIT_DIMENSIONS[name].parameter] = values.join(',')
  }
  // Lower case on the wire, unlike every other parameter.
  if (parameters.app !== undefined) request.app = parameters.app
  return request
}

export const LIVE_PRODUCER_FIELDS = Object.keys(DURATION_FIELDS)
export type LiveProducerDimension = Extract<Dimension, keyof typeof SPLIT_DIMENSIONS>
