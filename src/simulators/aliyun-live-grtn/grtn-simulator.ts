// Provider facts: docs/providers/aliyun-live-grtn.md#simulator
/**
 * Alibaba Live DescribeLiveGrtnDuration (live 2016-11-01, co-streaming usage) behind a simulated POP gateway.
 * Choices where the docs are unconfirmed (docs/providers/aliyun-live-grtn.md#unconfirmed), the strictest reasonable:
 * - EndTime is inclusive: every bucket whose start lies in [StartTime floored to Interval, EndTime] is answered, so a
 *   client that sends EndTime = the next window's start gets the seam bucket twice unless it drops it.
 * - Interval=86400 buckets are UTC days, each exactly the sum of its 288 slots.
 * - Items are per TimeStamp × (AppId) × MediaType × MediaProfile, and only for combinations with usage (a bucket with
 *   nothing is simply absent). AppId is filled only when the request named app ids ("empty = all apps aggregated").
 * - Several Area values (the docs' sample sends `CN,OverSeas`) are answered as the union of those areas, aggregated.
 * - Duration is sent as a numeric string, as in the docs' JSON sample (the SDKs type it as a number).
 * - Slots that start after the gateway clock have no data; the current one counts in full.
 */
import { hostileFirstRecord } from '../shared/corrupted-bodies.js'
import { startAliyunGateway, type AliyunActionContext, type AliyunActionResult } from '../aliyun/aliyun-gateway.js'
import { GRTN_MEDIA, grtnRangeMinutes, grtnSeries, type GrtnSeries } from './grtn-data.js'
import { parseGrtnParameters } from './grtn-parameters.js'
import { gatewayOptionsOf, type RunningSimulator, type SimulatorStartOptions } from '../shared/simulator-server.js'
import { formatUtcSeconds } from '../aliyun/utc-seconds.js'

export { GRTN_APP_IDS, GRTN_AREAS, GRTN_MEDIA, GRTN_REGIONAL_AREAS, grtnTotalMinutes, type GrtnArea } from './grtn-data.js'

export const GRTN_PRODUCT = 'live'
export const GRTN_API_VERSION = '2016-11-01'
export const GRTN_ACTION_NAME = 'DescribeLiveGrtnDuration'
/** Documented: 10 QPS per account. */
export const GRTN_QPS = 10

interface ItemGroup { appId: string | null, media: number, series: GrtnSeries[] }

export function describeLiveGrtnDuration (context: AliyunActionContext): AliyunActionResult {
  const query = parseGrtnParameters(context.parameters, context.now)
  if ('code' in query) return query
  const groups = itemGroups(grtnSeries({ apps: query.apps, areas: query.areas }), query.apps)

  const items: Array<Record<string, string>> = []
  const firstBucket = Math.floor(query.startTime / query.intervalMs) * query.intervalMs
  for (let bucket = firstBucket; bucket <= query.endTime && bucket <= context.now; bucket += query.intervalMs) {
    for (const group of groups) {
      let minutes = 0
      for (const series of group.series) minutes += grtnRangeMinutes(series, bucket, bucket + query.intervalMs, context.now)
      if (minutes === 0) continue
      const media = GRTN_MEDIA[group.media]!
      items.push({
        TimeStamp: formatUtcSeconds(bucket),
        ...(group.appId === null ? {} : { AppId: group.appId }),
        MediaType: media.mediaType,
        MediaProfile: media.mediaProfile,
        Duration: String(minutes)
      })
    }
  }
  return { status: 200, body: { RequestId: context.requestId, StreamDetailData: { StreamData: items } } }
}

/** One item group per (app, media) when app ids were named, in the order named; per media otherwise. */
function itemGroups (series: readonly GrtnSeries[], apps: readonly string[] | null): ItemGroup[] {
  const groups: ItemGroup[] = []
  for (const appId of apps ?? [null]) {
    GRTN_MEDIA.forEach((_, media) => {
      const members = series.filter(entry => entry.media === media && (appId === null || entry.app === appId))
      if (members.length > 0) groups.push({ appId, media, series: members })
    })
  }
  return groups
}

/**
 * Shape faults on the first StreamData item: repeated, Duration left out or made too large (as a numeric string),
 * MediaProfile (a name the customer chose) a formula.
 */
export const hostileGrtnBody = hostileFirstRecord(
  body => (body.StreamDetailData as { StreamData?: Array<Record<string, unknown>> } | undefined)?.StreamData,
  'Duration',
  'MediaProfile'
)

export async function startLiveGrtnSimulator (options: SimulatorStartOptions): Promise<RunningSimulator> {
  return await startAliyunGateway({
    product: GRTN_PRODUCT,
    version: GRTN_API_VERSION,
    ...gatewayOptionsOf(options),
    actions: { [GRTN_ACTION_NAME]: { handler: describeLiveGrtnDuration, qps: options.qps ?? GRTN_QPS, hostile: hostileGrtnBody } }
  })
}
