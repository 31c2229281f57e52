/**
 * What the usage ledger answers for one source and query, and what the provider is still asked for: per call
 * variant, the native buckets of the range the ledger holds settled are answered from it (a covered bucket with
 * no record is a reported zero), the ones it lacks are fetched in the fewest windows (or, past the lookback,
 * left out_of_range), and afterwards the settled ones among them are written back, one transaction per call.
 * With `asOf`, only the ledger answers: nothing is fetched, a bucket it did not hold then is null.
 */
import type { CoveredBucket, LedgerRangeRead, SettledCallWrite, SettledWriteResult } from '../ledger/ledger-types.js'
import { settledBuckets } from '../ledger/settled-buckets.js'
import { floorToGrid, listGridBuckets, type NativeGrid, type TimeRange } from '../time/index.js'
import { callKey, ledgerVariantKey } from './call-keys.js'
import { mergeRanges } from './deadline-warning.js'
import { gapWindows, type GapBucket } from './gap-windows.js'
import type { SourceSpan } from './merge-series.js'
import type { CoverageSpan } from './plan-source.js'
import type { CallVariant, FetchResult, UpstreamCall, UsageRecord } from './source-adapter.js'

/** The ledger as the query path uses it (src/ledger/ledger-connection.ts in the service). */
export interface UsageLedger {
  readRange(read: LedgerRangeRead): Promise<CoveredBucket[]>
  writeSettled(write: SettledCallWrite): Promise<SettledWriteResult>
}

export interface LedgerShare {
  /** The calls still to make: only windows holding native buckets the ledger lacks. */
  calls: UpstreamCall[]
  /** Per call key, the native buckets that call is made for; what it returns for other buckets is not used. */
  gapsByCall: Map<string, GapBucket[]>
  /** Every record of the buckets answered from the ledger (not yet filtered by the query's metrics and filters). */
  records: UsageRecord[]
  /** Delivered from the ledger (ok), older than the lookback and not held (out_of_range), or not held as of asOf. */
  spans: SourceSpan[]
  /** Native buckets answered from the ledger, counted per call variant. */
  ledgerBuckets: number
  /** Starts of the buckets answered from a revision later than their first: the provider restated them. */
  restated: number[]
  /** From the first to the end of the last bucket older than the lookback that the ledger does not hold. */
  outOfRange: TimeRange | null
  /** With asOf: the buckets (merged into ranges) the ledger did not hold at that instant. */
  notInLedger: TimeRange[]
  /** Why the ledger could not be read (then everything is fetched as if it held nothing), or null. */
  problem: string | null
}

export interface LedgerShareInput {
  ledger: UsageLedger | null
  sourceId: string
  grid: NativeGrid
  variants: ReadonlyArray<CallVariant<any>>
  /** The planner's spans of the query range: out_of_range, planned, future. */
  spans: readonly CoverageSpan[]
  /** The longest window one call may ask for on this grid. */
  longestWindowMs: number
  asOf: number | null
}

export async function shareFromLedger (input: LedgerShareInput): Promise<LedgerShare> {
  const { grid, sourceId, spans } = input
  const rangeFrom = spans[0]!.from
  const future = spans.find(span => span.status === 'future')
  const ledgerTo = future?.from ?? spans[spans.length - 1]!.to
  const fetchableFrom = spans.find(span => span.status === 'planned')?.from ?? ledgerTo
  const native = ledgerTo > rangeFrom ? listGridBuckets({ from: rangeFrom, to: ledgerTo }, grid) : []
  const keys = input.variants.map(variant => ledgerVariantKey(grid, variant))

  let problem: string | null = null
  let stored: CoveredBucket[][] = keys.map(() => [])
  if (native.length > 0) {
    try {
      if (input.ledger === null) throw new Error('no usage ledger is configured')
      const ledger = input.ledger
      stored = await Promise.all(keys.map(async variant => await ledger.readRange({ sourceId, variant, from: rangeFrom, to: ledgerTo, asOf: input.asOf })))
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error)
      stored = keys.map(() => [])
    }
  }

  const share: LedgerShare = { calls: [], gapsByCall: new Map(), records: [], spans: [], ledgerBuckets: 0, restated: [], outOfRange: null, notInLedger: [], problem }
  const restated = new Set<number>()
  const outOfRange: GapBucket[] = []
  input.variants.forEach((variant, index) => {
    const byStart = new Map(stored[index]!.map(bucket => [bucket.start, bucket]))
    const covered: GapBucket[] = []
    const old: GapBucket[] = []
    const toFetch: GapBucket[] = []
    for (const bucket of native) {
      const held = byStart.get(bucket.start)
      if (held !== undefined && held.end === bucket.end) {
        covered.push(bucket)
        share.ledgerBuckets++
        if (held.restated) restated.add(bucket.start)
        for (const record of usageRecordsOf(held)) share.records.push(record)
      } else if (input.asOf !== null) {
        share.notInLedger.push({ from: bucket.start, to: bucket.end })
      } else if (bucket.start < fetchableFrom) {
        old.push(bucket)
      } else {
        toFetch.push(bucket)
      }
    }
    share.spans.push(...runsOf(covered).map(run => ({ ...run, status: 'ok' as const })))
    share.spans.push(...runsOf(old).map(run => ({ ...run, status: 'out_of_range' as const })))
    outOfRange.push(...old)
    for (const window of gapWindows(toFetch, input.longestWindowMs)) {
      const call: UpstreamCall = { window, grid, variant, key: callKey(sourceId, window, grid, variant) }
      share.calls.push(call)
      share.gapsByCall.set(call.key, toFetch.filter(bucket => bucket.start >= window.from && bucket.end <= window.to))
    }
  })
  share.notInLedger = mergeRanges(share.notInLedger)
  share.spans.push(...share.notInLedger.map(run => ({ ...run, status: 'not_in_ledger' as const })))
  share.restated = [...restated].sort((left, right) => left - right)
  if (outOfRange.length > 0) {
    share.outOfRange = { from: Math.min(...outOfRange.map(bucket => bucket.start)), to: Math.max(...outOfRange.map(bucket => bucket.end)) }
  }
  return share
}

/** The records a gap call contributes: only those of the buckets it was made for (the ledger answers the rest). */
export function gapRecords (result: FetchResult, gaps: readonly GapBucket[], grid: NativeGrid): UsageRecord[] {
  const starts = new Set(gaps.map(bucket => bucket.start))
  return result.records.filter(record => starts.has(floorToGrid(record.start, grid)))
}

/**
 * The settled buckets of one answered gap call, to be written in one transaction: those whose end plus the data
 * delay had passed when the provider answered. Null when nothing is settled, or when a record does not fill exactly
 * one native bucket (the ledger keeps native buckets only; such an answer is used, not kept).
 */
export function settledWrite (input: {
  sourceId: string
  call: UpstreamCall
  gaps: readonly GapBucket[]
  grid: NativeGrid
  result: FetchResult
  fetchedAt: number
  settleDelayMs: number
  unitOf: (metric: string) => string
}): SettledCallWrite | null {
  const settled = input.gaps.filter(bucket => bucket.end + input.settleDelayMs <= input.fetchedAt)
  if (settled.length === 0) return null
  const starts = new Set(settled.map(bucket => bucket.start))
  for (const record of input.result.records) {
    const start = floorToGrid(record.start, input.grid)
    if (starts.has(start) && (record.start !== start || record.end !== start + input.grid.stepMs)) return null
  }
  return {
    sourceId: input.sourceId,
    variant: ledgerVariantKey(input.grid, input.call.variant),
    fetchedAt: input.fetchedAt,
    requestId: input.result.requestId,
    buckets: settledBuckets(settled, input.result.records, input.unitOf)
  }
}

/**
 * A covered bucket's records as usage records. The ledger hands out the same frozen bucket objects while they are
 * current (its range-read cache), so they are converted once per bucket, not once per query, and shared: nothing
 * downstream changes a record.
 */
const usageRecordsByBucket = new WeakMap<CoveredBucket, readonly UsageRecord[]>()

function usageRecordsOf (bucket: CoveredBucket): readonly UsageRecord[] {
  let records = usageRecordsByBucket.get(bucket)
  if (records === undefined) {
    records = bucket.records.map(record => ({ metric: record.metric, start: bucket.start, end: bucket.end, value: record.value, dimensions: record.dimensions }))
    usageRecordsByBucket.set(bucket, records)
  }
  return records
}

/** Contiguous buckets (in start order) joined into ranges. */
export function runsOf (buckets: readonly GapBucket[]): TimeRange[] {
  return mergeRanges(buckets.map(bucket => ({ from: bucket.start, to: bucket.end })))
}
