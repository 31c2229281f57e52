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
import { byText, parseUtcTimestamp } from '../utils/provider-times.js'
import { DURATION_FIELDS, LIVE_PRODUCER_ACTION, type LiveProducerItem } from './live-producer-api.js'

const SERVICE = 'live-producer'
const FIELDS = Object.keys(DURATION_FIELDS) as Array<keyof typeof DURATION_FIELDS>
/** How a refusal names each field, made once rather than per number. */
const FIELD_LABELS = FIELDS.map(field => `${LIVE_PRODUCER_ACTION} ${field}`)
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
  const buckets = new ProviderBuckets<TierDimensions>(`${LIVE_PRODUCER_ACTION} BillProducerDataItem`, KEY_FIELDS)
  const startOf = byText(parseUtcTimestamp)
  const stepMs = grid.stepMs
  const keyFields: Array<string | null | undefined> = [undefined, undefined, undefined, undefined]
  for (const item of items) {
    const start = startOf(item.TimeStamp)
    if (start === null) throw new UpstreamError('UPSTREAM_MALFORMED', `TimeStamp ${JSON.stringify(item.TimeStamp).slice(0, 40)} is not a UTC ISO 8601 time`)
    if (!isOnGrid(start, grid)) {
      throw new UpstreamError('UPSTREAM_MALFORMED', `TimeStamp ${item.TimeStamp} is not on the ${grid.label} grid asked for`)
    }
    keyFields[0] = item.DomainName
    keyFields[1] = item.Region
    keyFields[2] = item.Instance
    keyFields[3] = item.Type
    const group = buckets.groupOf(keyFields)
    group.claim(start)
    for (const field of splitFields) {
      if (!item[field]) {
        throw new UpstreamError('UPSTREAM_MALFORMED', `${LIVE_PRODUCER_ACTION}: the item of ${item.TimeStamp} has no ${field} although the call split by it: its usage cannot be attributed`)
      }
    }
    // EndTime is sent as the window end minus one second, and a bucket the API returns outside the
    // window (whatever its EndTime rule) belongs to the neighbouring window: counting it here would double it.
    if (start < window.from || start >= window.to) continue
    // One frozen dimensions object per tier and combination of item fields, shared by all their records: records
    // are read, never changed, downstream, and answers hold millions of them (allocation was the converter's cost).
    const byTier = group.derived ??= tierDimensions(item, fixedDimensions)
    const end = start + stepMs
    for (let index = 0; index < FIELDS.length; index++) {
      const field = FIELDS[index]!
      const mapping = DURATION_FIELDS[field]
      const value = minutesToSeconds(item[field], FIELD_LABELS[index]!, item.TimeStamp)
      records.push({ metric: mapping.metric, start, end, value, dimensions: byTier[mapping.tier] })
    }
  }
  return records
}

type Tier = typeof DURATION_FIELDS[keyof typeof DURATION_FIELDS]['tier']
type TierDimensions = Record<Tier, Record<string, string>>

function tierDimensions (item: LiveProducerItem, fixedDimensions: Readonly<Record<string, string>>): TierDimensions {
  const dimensions: Record<string, string> = { service: SERVICE, ...fixedDimensions }
  if (item.DomainName) dimensions.domain = item.DomainName
  if (item.Region) dimensions.region = item.Region
  if (item.Instance) dimensions.instance = item.Instance
  if (item.Type) dimensions.type = item.Type
  const byTier = {} as TierDimensions
  for (const field of FIELDS) {
    const { tier } = DURATION_FIELDS[field]
    byTier[tier] ??= Object.freeze({ ...dimensions, tier })
  }
  return byTier
}
