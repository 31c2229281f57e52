/**
 * The merger: pure. Sums native records into requested buckets exactly and decides each point's state.
 * A bucket a source could not deliver is never a zero: its value comes only from sources that delivered it.
 */
import type { Bucket, TimeRange } from '../time/index.js'
import type { Dimension } from './catalog.js'
import type { UsageRecord } from './source-adapter.js'

export type SourceSpanStatus = 'ok' | 'failed' | 'out_of_range' | 'unaligned' | 'future'

export interface SourceSpan extends TimeRange {
  status: SourceSpanStatus
}

/** What one source delivered for one query. */
export interface SourceOutcome {
  /** Dimension values every record of this source has (provider, source). */
  identity: Readonly<Record<string, string>>
  /** Metrics the source can report (and the query asked for). */
  metrics: ReadonlySet<string>
  records: readonly UsageRecord[]
  /** Spans tiling the query range: what was delivered, what failed or was left out. */
  spans: readonly SourceSpan[]
  /** Buckets ending after this instant are still inside the provider's data delay. */
  settledBefore: number
}

export type PointState = 'final' | 'provisional' | 'incomplete'

export interface MergedPoint {
  start: number
  end: number
  value: number | null
  state: PointState
}

export interface MergedSeries {
  metric: string
  dimensions: Record<string, string | null>
  points: MergedPoint[]
  total: number | null
}

export interface MergeInput {
  buckets: readonly Bucket[]
  groupBy: readonly Dimension[]
  sources: readonly SourceOutcome[]
}

export class MisalignedRecordError extends Error {
  constructor (readonly record: UsageRecord) {
    super(`record [${record.start}, ${record.end}) of ${record.metric} is not inside exactly one requested bucket`)
    this.name = 'MisalignedRecordError'
  }
}

const KEY_SEPARATOR = '\u0000'

export function mergeSeries (input: MergeInput): MergedSeries[] {
  const { buckets, groupBy, sources } = input
  const series = new Map<string, { metric: string, dimensions: Record<string, string | null>, sums: Float64Array[] }>()

  const seriesFor = (metric: string, dimensions: Record<string, string | null>): Float64Array[] => {
    const key = metric + KEY_SEPARATOR + groupBy.map(name => dimensions[name] ?? '').join(KEY_SEPARATOR) +
      KEY_SEPARATOR + groupBy.map(name => dimensions[name] === null ? '0' : '1').join('')
    let entry = series.get(key)
    if (!entry) {
      entry = { metric, dimensions, sums: sources.map(() => new Float64Array(buckets.length)) }
      series.set(key, entry)
    }
    return entry.sums
  }

  sources.forEach((source, sourceIndex) => {
    for (const metric of source.metrics) {
      const base = baseDimensions(groupBy, source.identity)
      if (base) seriesFor(metric, base)
    }
    for (const record of source.records) {
      const dimensions: Record<string, string | null> = {}
      for (const name of groupBy) dimensions[name] = record.dimensions[name] ?? null
      const sums = seriesFor(record.metric, dimensions)
      const index = bucketIndexOf(buckets, record)
      sums[sourceIndex]![index]! += record.value
    }
  })

  const merged: MergedSeries[] = []
  for (const entry of series.values()) {
    const feeding = sources
      .map((source, index) => ({ source, index }))
      .filter(({ source }) => feeds(source, entry.metric, entry.dimensions))
    const points = buckets.map((bucket, bucketIndex) => pointFor(bucket, bucketIndex, feeding, entry.sums))
    merged.push({ metric: entry.metric, dimensions: entry.dimensions, points, total: totalOf(points) })
  }
  return merged.sort(compareSeries)
}

/** The series a source is known to feed even when it reported nothing: only when grouping is by source identity. */
function baseDimensions (groupBy: readonly Dimension[], identity: Readonly<Record<string, string>>): Record<string, string | null> | null {
  const dimensions: Record<string, string | null> = {}
  for (const name of groupBy) {
    const value = identity[name]
    if (value === undefined) return null
    dimensions[name] = value
  }
  return dimensions
}

/** A source feeds a series when it can report the metric and its identity does not contradict the series. */
function feeds (source: SourceOutcome, metric: string, dimensions: Record<string, string | null>): boolean {
  if (!source.metrics.has(metric)) return false
  for (const [name, value] of Object.entries(source.identity)) {
    if (name in dimensions && dimensions[name] !== value) return false
  }
  return true
}

function bucketIndexOf (buckets: readonly Bucket[], record: UsageRecord): number {
  let low = 0
  let high = buckets.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const bucket = buckets[middle]!
    if (record.start < bucket.start) high = middle - 1
    else if (record.start >= bucket.end) low = middle + 1
    else {
      if (record.end > bucket.end || record.end <= record.start) throw new MisalignedRecordError(record)
      return middle
    }
  }
  throw new MisalignedRecordError(record)
}

function pointFor (
  bucket: Bucket,
  bucketIndex: number,
  feeding: ReadonlyArray<{ source: SourceOutcome, index: number }>,
  sums: readonly Float64Array[]
): MergedPoint {
  let value: number | null = null
  let incomplete = false
  let provisional = false
  for (const { source, index } of feeding) {
    let delivered = false
    for (const span of source.spans) {
      if (span.to <= bucket.start || span.from >= bucket.end) continue
      if (span.status === 'ok') delivered = true
      else if (span.status === 'future') provisional = true
      else incomplete = true
    }
    if (delivered) value = (value ?? 0) + sums[index]![bucketIndex]!
    if (bucket.end > source.settledBefore) provisional = true
  }
  const state: PointState = incomplete ? 'incomplete' : provisional ? 'provisional' : 'final'
  return { start: bucket.start, end: bucket.end, value, state }
}

function totalOf (points: readonly MergedPoint[]): number | null {
  let total: number | null = null
  for (const point of points) {
    if (point.value !== null) total = (total ?? 0) + point.value
  }
  return total
}

function compareSeries (left: MergedSeries, right: MergedSeries): number {
  if (left.metric !== right.metric) return left.metric < right.metric ? -1 : 1
  const leftKey = JSON.stringify(left.dimensions)
  const rightKey = JSON.stringify(right.dimensions)
  return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0
}
