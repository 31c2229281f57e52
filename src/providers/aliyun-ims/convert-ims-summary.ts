// Provider facts: docs/providers/aliyun-ims.md
/**
 * Pure: a DescribeMeterImsSummary answer to canonical records for the one window it was asked for.
 * Durations (minutes, assumed) become seconds × 60; the snapshot count passes through.
 */
import type { TimeRange } from '../../time/index.js'
import type { UsageRecord } from '../../usage/source-adapter.js'
import { ProviderBuckets } from '../utils/provider-buckets.js'
import { minutesToSeconds } from '../utils/provider-numbers.js'
import { IMS_FIELDS, IMS_FIELD_NAMES, type ImsSummaryItem } from './ims-api.js'

const SERVICE = 'ims'

/**
 * One record per field, spanning the window. `Data` normally holds one object:
 * - none: the provider reported nothing for the range, so every field is a real zero (the bucket reads 0, not null);
 * - several: refused (the shared repeated-bucket check). The objects carry no time, region or other key, so nothing
 *   says whether they are parts to add or repeats of one total; adding them would be a guess.
 * Every field of the object is required by the schema: an absent or null one is refused, never read as 0.
 */
export function convertImsSummary (
  data: readonly ImsSummaryItem[],
  window: TimeRange,
  fixedDimensions: Readonly<Record<string, string>>
): UsageRecord[] {
  // The one bucket of the answer is the window; a second object is that bucket again.
  const buckets = new ProviderBuckets('DescribeMeterImsSummary Data (one whole-range total per call)', [])
  data.forEach(() => buckets.claim(window.from, []))
  const item = data[0]
  // One frozen dimensions object per mode, shared by the records of the call (read, never changed downstream).
  const byMode = new Map<string, Readonly<Record<string, string>>>()
  return IMS_FIELD_NAMES.map(field => {
    const mapping = IMS_FIELDS[field]
    const reported = item === undefined ? 0 : item[field]
    const value = mapping.minutes ? minutesToSeconds(reported, `DescribeMeterImsSummary ${field}`) : reported
    return {
      metric: mapping.metric,
      start: window.from,
      end: window.to,
      value,
      dimensions: dimensionsOf(byMode, mapping.mode, fixedDimensions)
    }
  })
}

/** The dimensions of a call that fixes none, the same for every call. */
const UNFIXED_BY_MODE = new Map<string, Readonly<Record<string, string>>>()

function dimensionsOf (byMode: Map<string, Readonly<Record<string, string>>>, mode: string, fixedDimensions: Readonly<Record<string, string>>): Record<string, string> {
  if (Object.keys(fixedDimensions).length === 0) byMode = UNFIXED_BY_MODE
  let dimensions = byMode.get(mode)
  if (dimensions === undefined) {
    dimensions = Object.freeze({ service: SERVICE, mode, ...fixedDimensions })
    byMode.set(mode, dimensions)
  }
  return dimensions
}
