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
import { convertLiveProducerUsage, type LiveProducerSplitField } from './convert-live-producer-usage.js'
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

const SPLIT_NAMES = Object.keys(SPLIT_DIMENSIONS) as Array<keyof typeof SPLIT_DIMENSIONS>

export const liveProducerAdapter: SourceAdapter<LiveProducerSettings> = {
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

  variants (query: PushdownQuery, settings: LiveProducerSettings): CallVariant[] {
    const parameters: Record<string, string> = { RegionId: settings.regionId }
    // Filtered dimensions are split too, so every record says which value it belongs to.
    const split = SPLIT_NAMES.filter(name => query.groupBy.includes(name) || query.filters[name] !== undefined)
    if (split.length > 0) parameters.SplitBy = split.map(name => SPLIT_DIMENSIONS[name].splitBy).join(',')
    for (const name of SPLIT_NAMES) {
      const values = query.filters[name]
      if (values !== undefined) parameters[SPLIT_DIMENSIONS[name].parameter] = values.join(',')
    }
    // `app` takes one value per call and cannot be split by, so each app is its own call.
    const apps = query.filters.app
    if (apps === undefined) return [{ parameters, dimensions: {} }]
    return apps.map(app => ({ parameters: { ...parameters, app }, dimensions: { app } }))
  },

  // Split by every split key: an item per combination (see docs/providers/aliyun-live-producer.md, "SplitBy"), whose
  // records, filtered and summed, answer any grouping or filter by those keys; `app` is left to its own calls.
  ledgerVariant (_grid, settings: LiveProducerSettings) {
    return {
      variant: { parameters: { RegionId: settings.regionId, SplitBy: SPLIT_NAMES.map(name => SPLIT_DIMENSIONS[name].splitBy).join(',') }, dimensions: {} },
      dimensions: ['service', 'tier', ...SPLIT_NAMES]
    }
  },

  async fetch (call, context) {
    const grid = call.grid ?? HOURLY_UTC
    const answer = await callAliyunRpc({
      action: LIVE_PRODUCER_ACTION,
      version: LIVE_VERSION,
      parameters: {
        ...call.variant.parameters,
        StartTime: formatUtcSeconds(call.window.from),
        // The documented example ends one second before the boundary; the window end is exclusive.
        EndTime: formatUtcSeconds(call.window.to - 1000),
        Interval: String(grid.stepMs / 1000)
      }
    }, context)
    const provider = { api: LIVE_PRODUCER_ACTION, requestId: answer.requestId }
    const items = parseAnswer(liveProducerResponseSchema, answer.body, provider).BillProducerData?.BillProducerDataItem ?? []
    const records = convertAnswer(provider, () =>
      convertLiveProducerUsage(items, call.window, grid, call.variant.dimensions, splitFieldsOf(call.variant.parameters)))
    return { records, requestId: answer.requestId }
  }
}

/** The item fields a call's SplitBy asks the API to fill. */
function splitFieldsOf (parameters: Readonly<Record<string, string>>): LiveProducerSplitField[] {
  const asked = (parameters.SplitBy ?? '').split(',')
  return SPLIT_NAMES.filter(name => asked.includes(SPLIT_DIMENSIONS[name].splitBy)).map(name => SPLIT_DIMENSIONS[name].field)
}

export const LIVE_PRODUCER_FIELDS = Object.keys(DURATION_FIELDS)
export type LiveProducerDimension = Extract<Dimension, keyof typeof SPLIT_DIMENSIONS>
