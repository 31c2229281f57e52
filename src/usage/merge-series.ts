/**
 * The merger: pure. Sums native records into requested buckets exactly and decides each point's state.
 * A bucket a source could not deliver is never a zero: its value comes only from sources that delivered it.
 */
import type { Bucket, TimeRange } from '../time/index.js'
import type { Dimension } from './source-adapter.js'
import type { UsageRecord } from './source-adapter.js'

/** `not_in_ledger`: an as-of answer, and the ledger did not hold the bucket at that instant. */
export type SourceSpanStatus = 'ok' | 'failed' | 'out_of_range' | 'unaligned' | 'future' | 'not_in_ledger'

export interface SourceSpan extends TimeRange {
  status: SourceSpanStatus
}

/** What one source delivered for one query. */
export interface SourceOutcome {
  /** Dimension values every record of this source has (provider, source). */
  identity: Readonly<Record<string, string>>
  /** Metrics the source can report (and the query asked for). */
  metrics: ReadonlySet<string>
  /** The source's records; for the identity dimensions, `identity` is what counts, whatever a record says. */
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
  /** The sum of the points, only when every point has a value and none is incomplete; null otherwise. */
  total: number | null
  /** The sum of the values obtained, whatever their state; null when no point has a value. */
  partialTotal: number | null
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

/**
 * A sum that would pass Number.MAX_SAFE_INTEGER (2^53 − 1). Below it, float64 adds integers exactly, so every sum is
 * checked as it is made; past it the result may be rounded, and a rounded number is never answered.
 */
export class UnsafeSumError extends Error {
  constructor (
    readonly metric: string,
    readonly dimensions: Readonly<Record<string, string | null>>,
    /** The bucket whose sum passed the limit, or null for the series total. */
    readonly bucket: { start: number, end: number } | null,
    /** The float64 result of the sum (not exact: it is what would have been answered). */
    readonly approximate: number
  ) {
    super(`the ${bucket === null ? 'total' : 'bucket sum'} of ${metric} passes ${Number.MAX_SAFE_INTEGER} and cannot be answered exactly`)
    this.name = 'UnsafeSumError'
  }
}

const LARGEST = Number.MAX_SAFE_INTEGER

interface SeriesEntry {
  metric: string
  dimensions: Record<string, string | null>
  sums: Float64Array[]
}

/** The series of one dimensions object, per metric (a record's dimensions carry few metrics: a short list). */
interface KnownSeries {
  metric: string
  sums: Float64Array[]
  next: KnownSeries | undefined
}

/** Grouped by more dimensions than this, a record's own keys are walked (see readValues). */
const WALK_KEYS_ABOVE = 6

/**
 * Series by metric, then by the value of each grouped dimension in turn (null when a record lacks it): one map
 * level per dimension, so finding a record's series builds no key string and no object.
 */
type SeriesIndex = Map<string | null, SeriesIndex | SeriesEntry>

export function mergeSeries (input: MergeInput): MergedSeries[] {
  const { buckets, groupBy, sources } = input
  const index: SeriesIndex = new Map()
  const entries: SeriesEntry[] = []

  // A record's value for each grouped dimension, by position. A record carries a handful of dimensions; grouped by
  // many (up to all of them), walking the record's own keys beats looking up every grouped name, most of them absent
  // (which was most of the merge's time); grouped by a few, the direct lookups are the cheaper.
  const positionOf = new Map<string, number>(groupBy.map((name, position) => [name, position]))
  const values = new Array<string | null>(groupBy.length).fill(null)
  const walkKeys = groupBy.length > WALK_KEYS_ABOVE

  /** Reads dimensions into `values`; `fixed[i]`, when set, wins (the source's identity). */
  const readValues = (dimensions: Readonly<Record<string, string | null>>, fixed: ReadonlyArray<string | undefined>): void => {
    if (walkKeys) {
      values.fill(null)
      for (const name in dimensions) {
        const position = positionOf.get(name)
        if (position !== undefined) values[position] = dimensions[name] ?? null
      }
      for (let position = 0; position < fixed.length; position++) {
        const value = fixed[position]
        if (value !== undefined) values[position] = value
      }
    } else {
      for (let position = 0; position < fixed.length; position++) {
        values[position] = fixed[position] ?? dimensions[groupBy[position]!] ?? null
      }
    }
  }

  /** The sums of the series of `metric` and the dimension values in `values`. */
  const seriesFor = (metric: string): Float64Array[] => {
    let level = index
    let key: string | null = metric
    for (let position = 0; position < values.length; position++) {
      let next = level.get(key) as SeriesIndex | undefined
      if (next === undefined) {
        next = new Map()
        level.set(key, next)
      }
      level = next
      key = values[position]!
    }
    let entry = level.get(key) as SeriesEntry | undefined
    if (entry === undefined) {
      const own: Record<string, string | null> = {}
      groupBy.forEach((name, position) => { own[name] = values[position]! })
      entry = { metric, dimensions: own, sums: sources.map(() => new Float64Array(buckets.length)) }
      level.set(key, entry)
      entries.push(entry)
    }
    return entry.sums
  }

  sources.forEach((source, sourceIndex) => {
    const fixed = groupBy.map(name => source.identity[name])
    for (const metric of source.metrics) {
      const base = baseDimensions(groupBy, source.identity)
      if (base) {
        readValues(base, fixed)
        seriesFor(metric)
      }
    }
    // Records mostly come in time order: the previous record's bucket is the first guess.
    let bucketIndex = 0
    // Converters share one dimensions object among the records of a combination (records are never changed), so a
    // record's series is found once per dimensions object and metric, not per record; an unshared one costs a miss.
    const seriesByDimensions = new Map<object, KnownSeries>()
    for (const record of source.records) {
      const first = seriesByDimensions.get(record.dimensions)
      let known = first
      while (known !== undefined && known.metric !== record.metric) known = known.next
      let sums = known?.sums
      if (sums === undefined) {
        readValues(record.dimensions, fixed)
        sums = seriesFor(record.metric)
        seriesByDimensions.set(record.dimensions, { metric: record.metric, sums, next: first })
      }
      bucketIndex = bucketIndexOf(buckets, record, bucketIndex)
      const sum = (sums[sourceIndex]![bucketIndex]! += record.value)
      // Written so that NaN fails too; one comparison per record.
      if (!(sum <= LARGEST && sum >= -LARGEST)) {
        readValues(record.dimensions, fixed)
        throw unsafeBucket(record.metric, values, groupBy, buckets[bucketIndex]!, sum)
      }
    }
  })

  const coverage = sources.map(source => coverageOf(buckets, source))
  const merged: MergedSeries[] = []
  for (const entry of entries) {
    const feeding: number[] = []
    sources.forEach((source, sourceIndex) => {
      if (feeds(source, entry.metric, entry.dimensions)) feeding.push(sourceIndex)
    })
    const points = new Array<MergedPoint>(buckets.length)
    for (let bucketIndex = 0; bucketIndex < buckets.length; bucketIndex++) {
      const point = pointFor(buckets[bucketIndex]!, bucketIndex, feeding, sources, coverage, entry.sums)
      if (point === null) throw new UnsafeSumError(entry.metric, entry.dimensions, buckets[bucketIndex]!, sumOfSources(bucketIndex, feeding, entry.sums))
      points[bucketIndex] = point
    }
    const partialTotal = sumOfValues(points)
    if (partialTotal !== null && !isSafe(partialTotal)) throw new UnsafeSumError(entry.metric, entry.dimensions, null, partialTotal)
    const total = points.every(point => point.value !== null && point.state !== 'incomplete') ? partialTotal : null
    merged.push({ metric: entry.metric, dimensions: entry.dimensions, points, total, partialTotal })
  }
  return sortSeries(merged)
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

/** The bucket holding the record's start (trying `hint` and the one after it first); the record must end inside it. */
function bucketIndexOf (buckets: readonly Bucket[], record: UsageRecord, hint: number): number {
  let found = -1
  const guess = buckets[hint]
  const after = buckets[hint + 1]
  if (guess !== undefined && record.start >= guess.start && record.start < guess.end) found = hint
  else if (after !== undefined && record.start >= after.start && record.start < after.end) found = hint + 1
  else {
    let low = 0
    let high = buckets.length - 1
    while (low <= high) {
      const middle = (low + high) >>> 1
      const bucket = buckets[middle]!
      if (record.start < bucket.start) high = middle - 1
      else if (record.start >= bucket.end) low = middle + 1
      else {
        found = middle
        break
      }
    }
  }
  if (found < 0) throw new MisalignedRecordError(record)
  const bucket = buckets[found]!
  if (record.end > bucket.end || record.end <= record.start) throw new MisalignedRecordError(record)
  return found
}

const DELIVERED = 1
const FUTURE = 2
const NOT_DELIVERED = 4

/**
 * Per bucket, what the source's spans say about it: delivered (an ok span overlaps it), future, or failed / left out.
 * Worked out once per source rather than per series and bucket: a source without native buckets has one span per
 * bucket, and scanning every span for every point was quadratic in the range.
 */
function coverageOf (buckets: readonly Bucket[], source: SourceOutcome): Uint8Array {
  const flags = new Uint8Array(buckets.length)
  for (const span of source.spans) {
    const flag = span.status === 'ok' ? DELIVERED : span.status === 'future' ? FUTURE : NOT_DELIVERED
    // The first bucket that ends after the span starts; then every bucket that starts before the span ends.
    let low = 0
    let high = buckets.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (buckets[middle]!.end <= span.from) low = middle + 1
      else high = middle
    }
    for (let bucketIndex = low; bucketIndex < buckets.length && buckets[bucketIndex]!.start < span.to; bucketIndex++) {
      flags[bucketIndex]! |= flag
    }
  }
  return flags
}

/** The point, or null when its sum across sources passes 2^53 − 1 (see UnsafeSumError). */
function pointFor (
  bucket: Bucket,
  bucketIndex: number,
  feeding: readonly number[],
  sources: readonly SourceOutcome[],
  coverage: readonly Uint8Array[],
  sums: readonly Float64Array[]
): MergedPoint | null {
  let value: number | null = null
  let incomplete = false
  let provisional = false
  for (const sourceIndex of feeding) {
    const flags = coverage[sourceIndex]![bucketIndex]!
    if ((flags & NOT_DELIVERED) !== 0) incomplete = true
    if ((flags & FUTURE) !== 0) provisional = true
    if ((flags & DELIVERED) !== 0) {
      value = (value ?? 0) + sums[sourceIndex]![bucketIndex]!
      if (!isSafe(value)) return null
    }
    if (bucket.end > sources[sourceIndex]!.settledBefore) provisional = true
  }
  const state: PointState = incomplete ? 'incomplete' : provisional ? 'provisional' : 'final'
  return { start: bucket.start, end: bucket.end, value, state }
}

/** The sum of the points' values, stopping at the first partial sum past 2^53 − 1 (the caller refuses it). */
function sumOfValues (points: readonly MergedPoint[]): number | null {
  let total: number | null = null
  for (const point of points) {
    if (point.value === null) continue
    total = (total ?? 0) + point.value
    if (!isSafe(total)) return total
  }
  return total
}

function isSafe (value: number): boolean {
  return value <= LARGEST && value >= -LARGEST
}

function sumOfSources (bucketIndex: number, feeding: readonly number[], sums: readonly Float64Array[]): number {
  let sum = 0
  for (const sourceIndex of feeding) sum += sums[sourceIndex]![bucketIndex]!
  return sum
}

function unsafeBucket (
  metric: string, values: ReadonlyArray<string | null>, groupBy: readonly Dimension[], bucket: Bucket, sum: number
): UnsafeSumError {
  const dimensions: Record<string, string | null> = {}
  groupBy.forEach((name, position) => { dimensions[name] = values[position] ?? null })
  return new UnsafeSumError(metric, dimensions, bucket, sum)
}

/** By metric, then by the dimensions as JSON (each series' JSON is written once, not at every comparison). */
function sortSeries (series: MergedSeries[]): MergedSeries[] {
  const keyed = series.map(entry => ({ entry, dimensions: JSON.stringify(entry.dimensions) }))
  keyed.sort((left, right) => {
    if (left.entry.metric !== right.entry.metric) return left.entry.metric < right.entry.metric ? -1 : 1
    return left.dimensions < right.dimensions ? -1 : left.dimensions > right.dimensions ? 1 : 0
  })
  return keyed.map(({ entry }) => entry)
}
