// Provider facts: docs/providers/aliyun-live-grtn.md
/**
 * Pure: DescribeLiveGrtnDuration items to canonical records. Minutes become seconds exactly.
 * The API silently answers hourly when it does not accept the Interval sent, so the answer's buckets are checked
 * against the grid asked for before any of them is counted.
 * Refused as UPSTREAM_MALFORMED rather than counted: an item listed twice (same TimeStamp, AppId, MediaType,
 * MediaProfile), a Duration whose seconds pass 2^53 − 1, an item of an app the call did not name. Absent items are
 * buckets without usage (the API lists only combinations with usage) and read 0. An item without MediaType or
 * MediaProfile is counted in totals and appears with that dimension null when grouped by it; a filter on it cannot
 * be pushed down and keeps only items that name a value asked for.
 */
import { UpstreamError } from '../../errors.js'
import type { NativeGrid, TimeRange } from '../../time/index.js'
import { isOnGrid } from '../../time/index.js'
import type { UsageRecord } from '../../usage/source-adapter.js'
import { ProviderBuckets } from '../utils/provider-buckets.js'
import { minutesToSeconds } from '../utils/provider-numbers.js'
import { byText, parseUtcTimestamp } from '../utils/provider-times.js'
import type { GrtnItem } from './grtn-api.js'

const SERVICE = 'live-grtn'
const METRIC = 'costreaming.duration'
const HOUR_MS = 3_600_000
/** What the API falls back to for an Interval it does not accept. */
const FALLBACK_GRID: NativeGrid = { stepMs: HOUR_MS, offsetMs: 0, label: 'hour (UTC)' }

export interface GrtnCallShape {
  window: TimeRange
  grid: NativeGrid
  /** Dimensions the call fixed (the area it asked for). */
  dimensions: Readonly<Record<string, string>>
  /** The app ids the call named in AppId, or null when it asked for all apps aggregated. */
  apps: readonly string[] | null
}

export function convertGrtnDuration (items: readonly GrtnItem[], shape: GrtnCallShape): UsageRecord[] {
  const { window, grid } = shape
  const startOf = byText(parseTimeStamp)
  const starts = items.map(item => startOf(item.TimeStamp))
  checkBucketGrid(starts, window, grid)

  const records: UsageRecord[] = []
  const buckets = new ProviderBuckets<Record<string, string>>('DescribeLiveGrtnDuration StreamData', ['AppId', 'MediaType', 'MediaProfile'])
  const keyFields: Array<string | null | undefined> = [undefined, undefined, undefined]
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!
    const start = starts[index]!
    keyFields[0] = item.AppId
    keyFields[1] = item.MediaType
    keyFields[2] = item.MediaProfile
    const group = buckets.groupOf(keyFields)
    group.claim(start)
    // EndTime is sent as the window end (see the adapter), and a bucket outside the window belongs to a neighbouring
    // window: counting it here would count it twice.
    if (start < window.from || start >= window.to) continue
    const value = minutesToSeconds(item.Duration, 'DescribeLiveGrtnDuration: Duration', item.TimeStamp)
    // One frozen dimensions object per combination of item fields, shared by its records (read, never changed).
    const dimensions = group.derived ??= dimensionsOf(item, shape)
    records.push({ metric: METRIC, start, end: start + grid.stepMs, value, dimensions })
  }
  return records
}

function dimensionsOf (item: GrtnItem, shape: GrtnCallShape): Record<string, string> {
  const dimensions: Record<string, string> = { service: SERVICE, ...shape.dimensions }
  const app = appOf(item, shape.apps)
  if (app !== null) dimensions.app = app
  if (item.MediaType) dimensions.mediaType = item.MediaType
  if (item.MediaProfile) dimensions.mediaProfile = item.MediaProfile
  return Object.freeze(dimensions)
}

/** Which app an item belongs to: it must be one the call named; an unnamed one cannot be attributed, so the answer is refused. */
function appOf (item: GrtnItem, named: readonly string[] | null): string | null {
  if (named === null) return item.AppId ? item.AppId : null
  if (item.AppId) {
    if (!named.includes(item.AppId)) throw malformed(`an item has AppId ${clip(item.AppId)}, which the call did not ask for`)
    return item.AppId
  }
  // Whether a several-app call answers per app is not documented: one named app is unambiguous, several are not.
  if (named.length === 1) return named[0]!
  throw malformed(`an item has no AppId although the call asked for ${named.length} apps: it cannot be attributed to one`)
}

/**
 * Refuses an answer whose buckets are not the ones asked for: a TimeStamp off the asked grid, or, for a grid finer
 * than an hour, TimeStamps that all fall on whole hours (the hourly fallback) where the window holds sub-hour slots —
 * as soon as there are two of them, or one before the window start (an hour bucket holding the window's first slot).
 * A single on-the-hour bucket inside the window cannot be told from sparse fine data, and is accepted.
 */
export function checkBucketGrid (starts: readonly number[], window: TimeRange, grid: NativeGrid): void {
  const distinct = [...new Set(starts)].sort((left, right) => left - right)
  for (const start of distinct) {
    if (!isOnGrid(start, grid)) {
      throw malformed(`TimeStamp ${new Date(start).toISOString()} is not on the ${grid.label} grid asked for (Interval=${grid.stepMs / 1000})`)
    }
  }
  if (grid.stepMs >= FALLBACK_GRID.stepMs || distinct.length === 0) return
  const windowHasSubHourSlots = !(isOnGrid(window.from, FALLBACK_GRID) && window.to - window.from <= grid.stepMs)
  const allOnTheHour = distinct.every(start => isOnGrid(start, FALLBACK_GRID))
  if (!windowHasSubHourSlots || !allOnTheHour) return
  if (distinct.length >= 2 || distinct[0]! < window.from) {
    throw malformed(`asked for ${grid.label} buckets (Interval=${grid.stepMs / 1000}) but every TimeStamp is on a whole hour: ` +
      `the API appears to have fallen back to hourly buckets, which cannot be counted as ${grid.label} ones`)
  }
}

function parseTimeStamp (text: string): number {
  const instant = parseUtcTimestamp(text)
  if (instant === null) throw malformed(`TimeStamp ${clip(JSON.stringify(text))} is not a UTC ISO 8601 time`)
  return instant
}

function malformed (message: string): UpstreamError {
  return new UpstreamError('UPSTREAM_MALFORMED', `DescribeLiveGrtnDuration: ${message}`)
}

function clip (text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}
