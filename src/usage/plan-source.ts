/**
 * The planner: pure. Decides, for one source and one query, which upstream calls to make and which
 * parts of the range the source cannot deliver (older than its lookback, not yet happened).
 */
import {
  bucketsAlignToGrid, ceilToGrid, floorToGrid, suggestAlignedZones,
  type Bucket, type Granularity, type NativeGrid, type TimeRange
} from '../time/index.js'
import type { CallVariant, Dimension } from './source-adapter.js'
import type { SourceAdapter, SourceConfig, UpstreamCall } from './source-adapter.js'
import { callKey } from './call-keys.js'

/** Calls start this far inside the lookback, so a call planned now is not refused a moment later. */
export const LOOKBACK_SAFETY_MS = 5 * 60_000

export interface PlanQuery {
  range: TimeRange
  buckets: readonly Bucket[]
  granularity: Granularity
  zone: string
  groupBy: readonly Dimension[]
  filters: Readonly<Partial<Record<Dimension, readonly string[]>>>
  now: number
}

export type SpanStatus = 'planned' | 'out_of_range' | 'future'

export interface CoverageSpan extends TimeRange {
  status: SpanStatus
}

export type SourcePlan =
  | { status: 'unaligned', message: string, suggestedZones: string[] }
  | { status: 'planned', grid: NativeGrid | null, calls: UpstreamCall[], spans: CoverageSpan[], variants: Array<CallVariant<any>> }

export function planSource (adapter: SourceAdapter<any>, source: SourceConfig<any>, query: PlanQuery): SourcePlan {
  const grid = chooseGrid(adapter, query.buckets)
  if (grid === undefined) return unalignedPlan(adapter, source, query)

  const spans = coverageSpans(adapter, grid, query)
  const planned = spans.find(span => span.status === 'planned')
  const windows = planned ? splitWindows(adapter, grid, planned, query.buckets) : []
  const variants = adapter.variants({ groupBy: query.groupBy, filters: query.filters, grid }, source.settings)
  const calls: UpstreamCall[] = []
  for (const { window, soFarUntil } of windows) {
    for (const variant of variants) {
      calls.push({ window, grid, variant, key: callKey(source.id, window, grid, variant, soFarUntil) })
    }
  }
  return { status: 'planned', grid, calls, spans, variants }
}

/** The coarsest native grid of which every requested bucket is an exact union; null for kinds without buckets. */
function chooseGrid (adapter: SourceAdapter<any>, buckets: readonly Bucket[]): NativeGrid | null | undefined {
  if (adapter.nativeBuckets.kind === 'any') return null
  return adapter.nativeBuckets.grids.find(grid => bucketsAlignToGrid(buckets, grid))
}

function unalignedPlan (adapter: SourceAdapter<any>, source: SourceConfig<any>, query: PlanQuery): SourcePlan {
  const grids = adapter.nativeBuckets.kind === 'grid' ? adapter.nativeBuckets.grids : []
  const finest = grids[grids.length - 1]
  const suggestedZones = finest ? suggestAlignedZones(query.range, query.granularity, finest, 3) : []
  const nativeDescription = grids.map(grid => grid.label).join(' or ')
  const advice = suggestedZones.length > 0
    ? `use tz=${suggestedZones.join(' or tz=')}`
    : 'use a finer granularity or another tz'
  return {
    status: 'unaligned',
    suggestedZones,
    message: `source '${source.id}' (${adapter.kind}) has native buckets of ${nativeDescription}; ` +
      `${query.granularity} buckets in ${query.zone} are not whole native buckets, so its usage is left out: ${advice}`
  }
}

/** Splits the query range into what is older than the lookback, what can be fetched, and what has not happened yet. */
function coverageSpans (adapter: SourceAdapter<any>, grid: NativeGrid | null, query: PlanQuery): CoverageSpan[] {
  const oldestAllowed = query.now - adapter.limits.lookbackMs + LOOKBACK_SAFETY_MS
  const fetchFrom = grid ? ceilToGrid(oldestAllowed, grid) : Math.ceil(oldestAllowed / 1000) * 1000
  // The native bucket holding `now` is fetched (it is provisional); nothing after it exists yet.
  const fetchTo = grid ? ceilToGrid(query.now + 1, grid) : Math.floor(query.now / 1000) * 1000
  const { from, to } = query.range
  const plannedFrom = Math.min(Math.max(from, fetchFrom), to)
  const plannedTo = Math.max(Math.min(to, fetchTo), plannedFrom)
  const spans: CoverageSpan[] = [
    { from, to: plannedFrom, status: 'out_of_range' },
    { from: plannedFrom, to: plannedTo, status: 'planned' },
    { from: plannedTo, to, status: 'future' }
  ]
  return spans.filter(span => span.to > span.from)
}

/** A window to ask for; `soFarUntil` when it is cut at the planning instant inside a part that ends then. */
interface PlannedWindow {
  window: TimeRange
  soFarUntil?: number
}

/**
 * The fewest windows the span limit allows. Kinds without native buckets answer one total per call,
 * so they are asked once per requested bucket (clipped to the span that can be fetched).
 */
function splitWindows (adapter: SourceAdapter<any>, grid: NativeGrid | null, span: TimeRange, buckets: readonly Bucket[]): PlannedWindow[] {
  if (grid === null) {
    // A bucket longer than one call may span (a 31-day month with a DST fall-back hour) is asked in parts;
    // each part's total lies inside the bucket, so the merger adds them exactly.
    return buckets.flatMap(bucket => {
      const from = Math.max(bucket.start, span.from)
      const to = Math.min(bucket.end, span.to)
      const parts: PlannedWindow[] = []
      for (let start = from; start < to; start += adapter.limits.maxSpanMs) {
        const partEnd = Math.min(start + adapter.limits.maxSpanMs, bucket.end)
        // Cut by the span's end inside the bucket: the span ends at now (the range ends on a bucket's end).
        parts.push(partEnd > to ? { window: { from: start, to }, soFarUntil: partEnd } : { window: { from: start, to: partEnd } })
      }
      return parts
    })
  }
  const longest = longestWindowMs(adapter, grid)
  const windows: PlannedWindow[] = []
  for (let from = span.from; from < span.to; from += longest) {
    windows.push({ window: { from, to: Math.min(from + longest, span.to) } })
  }
  return windows
}

/** The longest window one call may ask for: the span limit, down to whole native buckets. */
export function longestWindowMs (adapter: SourceAdapter<any>, grid: NativeGrid): number {
  return floorToGrid(adapter.limits.maxSpanMs, { ...grid, offsetMs: 0 })
}
