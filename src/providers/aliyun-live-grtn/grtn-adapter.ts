// Provider facts: docs/providers/aliyun-live-grtn.md
/**
 * Source kind `aliyun.live-grtn`: co-streaming (GRTN) usage from DescribeLiveGrtnDuration, in hourly buckets, or in
 * 5-minute buckets when the zone's boundaries are not whole UTC hours (Asia/Kolkata, ...).
 *
 * Choices where the docs are unconfirmed (docs/providers/aliyun-live-grtn.md#unconfirmed):
 * - No daily grid: whether Interval=86400 days are UTC or UTC+8 days is not documented, and hours sum to days exactly.
 * - EndTime is sent as the window end itself, not one second before it as for the producer API: the minimum span is
 *   5 minutes, and a one-slot window minus a second (4:59) would be refused. Whatever the API's EndTime rule, a bucket
 *   starting at or after the window end is dropped, so the seam bucket is counted by the next window only.
 * - The answer's buckets are checked against the grid asked for (see convert-grtn-duration.ts): the API answers
 *   hourly, silently, for an Interval it does not accept.
 */
import { z } from 'zod'
import { formatUtcSeconds, type NativeGrid } from '../../time/index.js'
import type { CallVariant, PushdownQuery, SourceAdapter } from '../../usage/source-adapter.js'
import { callAliyunRpc } from '../aliyun/aliyun-rpc-call.js'
import { convertAnswer, parseAnswer } from '../utils/provider-answer.js'
import { convertGrtnDuration } from './convert-grtn-duration.js'
import { GRTN_ACTION, GRTN_AREAS, GRTN_REGIONAL_AREAS, LIVE_VERSION, grtnResponseSchema } from './grtn-api.js'
import { classifyGrtnError } from './grtn-errors.js'
import { grtnRequestParameters, grtnVariants, type GrtnCallParameters } from './grtn-variants.js'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
export const GRTN_HOURLY: NativeGrid = { stepMs: HOUR_MS, offsetMs: 0, label: 'hour (UTC)' }
export const GRTN_FIVE_MINUTES: NativeGrid = { stepMs: 5 * MINUTE_MS, offsetMs: 0, label: '5 minutes (UTC)' }

const settingsSchema = z.object({
  /** The RegionId common parameter; the API answers for every area whatever it is. */
  regionId: z.string().min(1).default('cn-shanghai'),
  /**
   * App ids to break usage down by when a query groups by app (30 per call). Grouping by app reports these apps
   * only: list every app of the account, or usage of an unlisted app is missing from a grouped answer.
   */
  appIds: z.array(z.string().trim().min(1).regex(/^[^,]+$/, 'an app id cannot contain a comma'))
    .default([])
    .refine(ids => new Set(ids).size === ids.length, 'app ids must not repeat: a repeated app would be counted twice'),
  /**
   * Areas to break usage down by when a query groups by area, one call each. The default, CN and OverSeas, is
   * disjoint and covers everything; a set of regional areas reports those areas only.
   */
  areas: z.array(z.enum(GRTN_AREAS))
    .min(1)
    .default(['CN', 'OverSeas'])
    .refine(areas => new Set(areas).size === areas.length, 'areas must not repeat: a repeated area would be counted twice')
    .refine(
      areas => !(areas.includes('OverSeas') && areas.some(area => GRTN_REGIONAL_AREAS.includes(area))),
      `OverSeas already contains ${GRTN_REGIONAL_AREAS.join(', ')}: listing both would count that usage twice`
    )
}).strict()

export type LiveGrtnSettings = z.infer<typeof settingsSchema>

export const liveGrtnAdapter: SourceAdapter<LiveGrtnSettings, GrtnCallParameters> = {
  specificationVersion: 'v1',
  kind: 'aliyun.live-grtn',
  provider: 'aliyun',
  title: 'Alibaba Live co-streaming (GRTN) usage (DescribeLiveGrtnDuration)',
  defaultEndpoint: 'https://live.aliyuncs.com',
  limits: { maxSpanMs: 31 * DAY_MS, minSpanMs: 5 * MINUTE_MS, lookbackMs: 90 * DAY_MS, defaultQps: 10 },
  nativeBuckets: { kind: 'grid', grids: [GRTN_HOURLY, GRTN_FIVE_MINUTES] },
  // Not documented for this API; the sibling DescribeDomainUsageData states 4 hours for hourly data (15 min for 5-minute).
  settleDelayMs: 4 * HOUR_MS,
  metrics: [
    {
      metric: 'costreaming.duration',
      providerFields: ['Duration'],
      dimensions: ['service', 'app', 'area', 'mediaType', 'mediaProfile'],
      conversion: 'minutes × 60',
      coverage: 'Items are listed only where there was usage, so a bucket without items reads 0. An item listed twice, a ' +
        'Duration whose seconds pass 2^53 − 1, or an item of an app the call did not name refuses the answer (UPSTREAM_MALFORMED). ' +
        'groupBy=app reports only the source\'s configured appIds (usage of other apps is not in a by-app answer; without ' +
        'appIds every app is one series with app null); groupBy=area reports the configured areas (default CN and OverSeas, ' +
        'which cover everything). An item without MediaType or MediaProfile has that dimension null.'
    }
  ],
  dimensions: ['service', 'app', 'area', 'mediaType', 'mediaProfile'],
  dimensionValues: { service: 'live-grtn', area: 'CN, OverSeas, AP1, ...', mediaProfile: '0 for audio-only, 480P, 720P, 1080P' },
  filterDimensions: ['app', 'area', 'mediaType', 'mediaProfile'],
  settingsSchema,

  variants (query: PushdownQuery, settings: LiveGrtnSettings): Array<CallVariant<GrtnCallParameters>> {
    return grtnVariants(query, settings)
  },

  async fetch (call, context) {
    const grid = call.grid ?? GRTN_HOURLY
    let answer
    try {
      answer = await callAliyunRpc({
        action: GRTN_ACTION,
        version: LIVE_VERSION,
        parameters: {
          ...grtnRequestParameters(call.variant.parameters),
          StartTime: formatUtcSeconds(call.window.from),
          EndTime: formatUtcSeconds(call.window.to),
          Interval: String(grid.stepMs / 1000)
        }
      }, context)
    } catch (error) {
      throw classifyGrtnError(error)
    }
    const provider = { api: GRTN_ACTION, requestId: answer.requestId }
    const items = parseAnswer(grtnResponseSchema, answer.body, provider).StreamDetailData?.StreamData ?? []
    const records = convertAnswer(provider, () => convertGrtnDuration(items, {
      window: call.window,
      grid,
      dimensions: call.variant.dimensions,
      apps: call.variant.parameters.appIds ?? null
    }))
    return { records, requestId: answer.requestId }
  }
}
