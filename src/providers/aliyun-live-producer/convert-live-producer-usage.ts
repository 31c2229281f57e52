// Provider facts: docs/providers/aliyun-live-producer.md
/** Pure: DescribeLiveProducerUsageData items to canonical records. Minutes become seconds exactly. */
import { UpstreamError } from '../../errors.js'
import type { NativeGrid, TimeRange } from '../../time/index.js'
import { isOnGrid } from '../../time/index.js'
import type { UsageRecord } from '../../usage/source-adapter.js'
import { DURATION_FIELDS, type LiveProducerItem } from './live-producer-api.js'

const SERVICE = 'live-producer'
const FIELDS = Object.keys(DURATION_FIELDS) as Array<keyof typeof DURATION_FIELDS>

export function convertLiveProducerUsage (
  items: readonly LiveProducerItem[],
  window: TimeRange,
  grid: NativeGrid,
  fixedDimensions: Readonly<Record<string, string>>
): UsageRecord[] {
  const records: UsageRecord[] = []
  for (const item of items) {
    const start = parseTimeStamp(item.TimeStamp)
    if (!isOnGrid(start, grid)) {
      throw new UpstreamError('UPSTREAM_MALFORMED', `TimeStamp ${item.TimeStamp} is not on the ${grid.label} grid asked for`)
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
      const minutes = item[field]
      if (minutes === null || minutes === undefined) continue
      const mapping = DURATION_FIELDS[field]
      byTier[mapping.tier] ??= { ...dimensions, tier: mapping.tier }
      records.push({ metric: mapping.metric, start, end: start + grid.stepMs, value: minutes * 60, dimensions: byTier[mapping.tier]! })
    }
  }
  return records
}

function parseTimeStamp (text: string): number {
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(instant)) throw new UpstreamError('UPSTREAM_MALFORMED', `TimeStamp ${JSON.stringify(text).slice(0, 40)} is not a UTC ISO 8601 time`)
  return instant
}
