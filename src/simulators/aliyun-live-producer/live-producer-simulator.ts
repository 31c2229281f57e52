// Provider facts: docs/providers/aliyun-live-producer.md#simulator
/**
 * Alibaba Live DescribeLiveProducerUsageData (live 2016-11-01) behind a simulated POP gateway.
 * Choices where the docs are unconfirmed (docs/providers/aliyun-live-producer.md#unconfirmed), the strictest
 * reasonable ones:
 * - EndTime is inclusive: every bucket whose start lies in [StartTime floored to Interval, EndTime] is answered, so a
 *   client that sends EndTime = the next window's start double-counts the bucket at the seam.
 * - Interval=86400 buckets are UTC days (the TimeStamp format is UTC; the doc's UTC+8-looking example window is
 *   only an example), each exactly the sum of its 24 hours.
 * - Hours that start after the gateway clock are not answered; the current hour is, with its full value.
 */
import { hostileFirstRecord } from '../shared/corrupted-bodies.js'
import { startAliyunGateway, type AliyunActionContext, type AliyunActionResult } from '../aliyun/aliyun-gateway.js'
import { LIVE_PRODUCER_INSTANCES, liveProducerBucketTotals, type LiveProducerInstance } from './live-producer-data.js'
import { parseLiveProducerParameters, type LiveProducerQuery, type LiveProducerSplit } from './live-producer-parameters.js'
import type { Restatements } from '../shared/restatements.js'
import { gatewayOptionsOf, type RunningSimulator, type SimulatorStartOptions } from '../shared/simulator-server.js'
import { formatUtcSeconds } from '../aliyun/utc-seconds.js'

export { LIVE_PRODUCER_INSTANCES, liveProducerMinutes } from './live-producer-data.js'

export const LIVE_PRODUCT = 'live'
export const LIVE_API_VERSION = '2016-11-01'
export const LIVE_PRODUCER_ACTION_NAME = 'DescribeLiveProducerUsageData'
/** Documented: 5 QPS per user. */
export const LIVE_PRODUCER_QPS = 5

/** Which item field each SplitBy value fills, in the order fields appear in an item. */
const SPLIT_FIELDS: ReadonlyArray<{ split: LiveProducerSplit, field: string, value: (instance: LiveProducerInstance) => string }> = [
  { split: 'domain', field: 'DomainName', value: instance => instance.domain },
  { split: 'region', field: 'Region', value: instance => instance.region },
  { split: 'instance', field: 'Instance', value: instance => instance.instance },
  { split: 'type', field: 'Type', value: instance => instance.type }
]

/** `restatements`: corrections the test has the provider make (coordinates: instance, hour start, field). */
export function describeLiveProducerUsageData (context: AliyunActionContext, restatements?: Restatements): AliyunActionResult {
  const query = parseLiveProducerParameters(context.parameters, context.now)
  if ('code' in query) return query
  const groups = groupBySplit(LIVE_PRODUCER_INSTANCES.filter(instance => matchesFilters(instance, query)), query.splitBy)

  const items: Array<Record<string, string | number>> = []
  const firstBucket = Math.floor(query.startTime / query.intervalMs) * query.intervalMs
  for (let bucket = firstBucket; bucket <= query.endTime && bucket <= context.now; bucket += query.intervalMs) {
    for (const group of groups) {
      const totals = liveProducerBucketTotals(group.instances, bucket, query.intervalMs, context.now, restatements)
      items.push({ ...group.splitFields, ...totals, TimeStamp: formatUtcSeconds(bucket) })
    }
  }
  return {
    status: 200,
    body: {
      RequestId: context.requestId,
      StartTime: context.parameters.StartTime,
      EndTime: context.parameters.EndTime,
      BillProducerData: { BillProducerDataItem: items }
    }
  }
}

function matchesFilters (instance: LiveProducerInstance, query: LiveProducerQuery): boolean {
  return (query.regions === null || query.regions.includes(instance.region)) &&
    (query.domains === null || query.domains.includes(instance.domain)) &&
    (query.instances === null || query.instances.includes(instance.instance)) &&
    (query.types === null || query.types.includes(instance.type)) &&
    (query.app === null || query.app === instance.app)
}

/** One group per distinct combination of the split fields; a single group of everything when SplitBy is empty. */
function groupBySplit (
  instances: readonly LiveProducerInstance[], splitBy: readonly LiveProducerSplit[]
): Array<{ splitFields: Record<string, string>, instances: LiveProducerInstance[] }> {
  const fields = SPLIT_FIELDS.filter(({ split }) => splitBy.includes(split))
  const groups = new Map<string, { splitFields: Record<string, string>, instances: LiveProducerInstance[] }>()
  for (const instance of instances) {
    const splitFields = Object.fromEntries(fields.map(({ field, value }) => [field, value(instance)]))
    const key = JSON.stringify(splitFields)
    const group = groups.get(key) ?? { splitFields, instances: [] }
    group.instances.push(instance)
    groups.set(key, group)
  }
  return [...groups.values()]
}

/** Shape faults on the first item: repeated, OutputLdDuration left out or made too large, DomainName a formula. */
export const hostileProducerBody = hostileFirstRecord(
  body => (body.BillProducerData as { BillProducerDataItem?: Array<Record<string, unknown>> } | undefined)?.BillProducerDataItem,
  'OutputLdDuration',
  'DomainName'
)

export async function startLiveProducerSimulator (options: SimulatorStartOptions): Promise<RunningSimulator> {
  return await startAliyunGateway({
    product: LIVE_PRODUCT,
    version: LIVE_API_VERSION,
    ...gatewayOptionsOf(options),
    actions: { [LIVE_PRODUCER_ACTION_NAME]: { handler: context => describeLiveProducerUsageData(context, options.restatements), qps: options.qps ?? LIVE_PRODUCER_QPS, hostile: hostileProducerBody } }
  })
}
