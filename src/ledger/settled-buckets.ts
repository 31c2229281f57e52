import { LedgerWriteError } from './ledger-errors.js'
import type { BucketBounds } from './coverage.js'
import type { LedgerRecordInput, SettledBucketInput } from './ledger-types.js'

/**
 * Groups one call's records into the settled native buckets the call covered, ready for writeSettled.
 * Every bucket of `settled` is written even with no record (a reported zero). Records of the call's other
 * buckets (not settled yet) are left out; a record that starts with a settled bucket but ends elsewhere
 * is refused, since it would not be that bucket's usage.
 */
export function settledBuckets (
  settled: readonly BucketBounds[],
  records: ReadonlyArray<{ metric: string, start: number, end: number, value: number | bigint, dimensions: Readonly<Record<string, string>> }>,
  unitOf: (metric: string) => string
): SettledBucketInput[] {
  const byStart = new Map<number, { start: number, end: number, records: LedgerRecordInput[] }>()
  for (const bucket of settled) byStart.set(bucket.start, { start: bucket.start, end: bucket.end, records: [] })
  for (const record of records) {
    const bucket = byStart.get(record.start)
    if (bucket === undefined) continue
    if (bucket.end !== record.end) {
      throw new LedgerWriteError(`record of ${record.metric} for [${record.start}, ${record.end}) does not match the settled bucket starting there`)
    }
    bucket.records.push({ metric: record.metric, dimensions: record.dimensions, value: record.value, unit: unitOf(record.metric) })
  }
  return [...byStart.values()]
}
