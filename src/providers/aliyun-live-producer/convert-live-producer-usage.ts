// Provider facts: docs/providers/aliyun-live-producer.md
/**
 * Pure: DescribeLiveProducerUsageData items to canonical records. Minutes become seconds exactly (or the answer is
 * refused). What is refused as UPSTREAM_MALFORMED rather than counted:
 * - an item listed twice (same TimeStamp, DomainName, Region, Instance, Type): summing both would double it;
 * - an item without a field the call split by (SplitBy=type and no Type, ...): a filtered query would drop its usage
 *   and a grouped one would show it under an unknown value, both silently;
 * - a missing duration field: the schema requires all six, an absent one is not a zero anybody reported.
 * A bucket with no item at all is the provider saying it had no usage then, and reads 0.
 */
import { UpstreamError } from '../../errors.js'
import type { NativeGrid, TimeRange } from '../../time/index.js'
import { isOnGrid } from '../../time/index.js'
import type { UsageRecord } from '../../usage/source-adapter.js'
import { ProviderBuckets } from '../utils/provider-buckets.js'
import { minutesToSeconds } from '../utils/provider-numbers.js'
import { DURATION_FIELDS, LIVE_PRODUCER_ACTION, type LiveProducerItem } from './live-producer-api.js'

const SERVICE = 'live-producer'
const FIELDS = Object.keys(DURATION_FIELDS) as Array<keyof typeof DURATION_FIELDS>
/** The item fields that tell one bucket of a split answer from another. */
const KEY_FIELDS = ['DomainName', 'Region', 'Instance', 'Type'] as const
export type LiveProducerSplitField = typeof KEY_FIELDS[number]

export function convertLiveProducerUsage (
  items: readonly LiveProducerItem[],
  window: TimeRange,
  grid: NativeGrid,
  fixedDimensions: Readonly<Record<string, string>>,
  /** The item fields the call split by (SplitBy): every item must carry each of them. */
  splitFields: readonly LiveProducerSplitField[] = []
): UsageRecord[] {
  const records: UsageRecord[] = []
  const buckets = new ProviderBuckets(`${LIVE_PRODUCER_ACTION} BillProducerDataItem`, KEY_FIELDS)
  for (const item of items) {
    const start = parseTimeStamp(item.TimeStamp)
    if (!isOnGrid(start, grid)) {
      throw new UpstreamError('UPSTREAM_MALFORMED', `TimeStamp ${item.TimeStamp} is not on the ${grid.label} grid asked for`)
    }
    buckets.claim(start, [item.DomainName, item.Region, item.Instance, item.Type])
    for (const field of splitFields) {
      if (!item[field]) {
        throw new UpstreamError('UPSTREAM_MALFORMED', `${LIVE_PRODUCER_ACTION}: the item of ${item.TimeStamp} has no ${field} although the call split by it: its usage cannot be attributed`)
      }
    }
    // EndTime is sent as the window end minus one second, and a bucket the API returns outside the
    // window (whatever its EndTime rule) belongs to the neighbouring window: counting it here would double it.
    if (start < window.from || start >= window.to) continue
    const dimensions: Record<string, string> = { service: SERVICE, ...fixedDimensions }
    if (item.DomainName) dimensions.domain = item.DomainName
    if (item.Region) dimensions.region = item.Region
    if (item.Instance) dimensions.instance = item.Instance
    if (item.Type) dimensions.type = item.Type
    // One dimensions object per tier, shared by the output and transcoding records of that tier: records are
    // read, never changed, downstream, and answers hold millions of them (allocation was the converter's cost).
    const byTier: Record<string, Record<string, string>> = {}
    for (const field of FIELDS) {
      const mapping = DURATION_FIELDS[field]
      byTier[mapping.tier] ??= { ...dimensions, tier: mapping.tier }
      const value = minutesToSeconds(item[field], `${LIVE_PRODUCER_ACTION} ${field} of ${item.TimeStamp}`)
      records.push({ metric: mapping.metric, start, end: start + grid.stepMs, value, dimensions: byTier[mapping.tier]! })
    }
  }
  return records
}

function parseTimeStamp (text: string): number {
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(instant)) throw new UpstreamError('UPSTREAM_MALFORMED', `TimeStamp ${JSON.stringify(text).slice(0, 40)} is not a UTC ISO 8601 time`)
  return instant
}
