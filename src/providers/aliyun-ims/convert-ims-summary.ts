// Provider facts: docs/providers/aliyun-ims.md
/**
 * Pure: a DescribeMeterImsSummary answer to canonical records for the one window it was asked for.
 * Durations (minutes, assumed) become seconds × 60; the snapshot count passes through.
 */
import { UpstreamError } from '../../errors.js'
import type { TimeRange } from '../../time/index.js'
import type { UsageRecord } from '../../usage/source-adapter.js'
import { IMS_FIELDS, IMS_FIELD_NAMES, type ImsSummaryItem } from './ims-api.js'

const SERVICE = 'ims'

/**
 * One record per field, spanning the window. `Data` normally holds one object:
 * - none: the provider reported nothing for the range, so every field is a real zero (the bucket reads 0, not null);
 * - several: refused. The objects carry no time, region or other key, so nothing says whether they are parts to add
 *   or repeats of one total; adding them would be a guess.
 */
export function convertImsSummary (
  data: readonly ImsSummaryItem[],
  window: TimeRange,
  fixedDimensions: Readonly<Record<string, string>>
): UsageRecord[] {
  if (data.length > 1) {
    throw new UpstreamError('UPSTREAM_MALFORMED', `DescribeMeterImsSummary answered ${data.length} Data objects for one range; one whole-range total was expected`)
  }
  const item = data[0]
  return IMS_FIELD_NAMES.map(field => {
    const mapping = IMS_FIELDS[field]
    const reported = item === undefined ? 0 : item[field]
    const value = mapping.minutes ? reported * 60 : reported
    if (!Number.isSafeInteger(value)) {
      throw new UpstreamError('UPSTREAM_MALFORMED', `DescribeMeterImsSummary ${field} ${reported} is too large to convert exactly`)
    }
    return {
      metric: mapping.metric,
      start: window.from,
      end: window.to,
      value,
      dimensions: { service: SERVICE, mode: mapping.mode, ...fixedDimensions }
    }
  })
}
