import type { CoveredBucket } from './ledger-types.js'

export interface BucketBounds {
  start: number
  end: number
}

/**
 * Splits the native buckets a query needs into those the ledger covers (answered from it) and those it
 * does not (to be fetched, or `out_of_range` past the lookback). A covered bucket with no record is a
 * reported zero; a missing one is unknown.
 */
export function splitByCoverage<Bucket extends BucketBounds> (needed: readonly Bucket[], covered: readonly CoveredBucket[]): { covered: Array<{ bucket: Bucket, stored: CoveredBucket }>, missing: Bucket[] } {
  const byStart = new Map(covered.map(bucket => [bucket.start, bucket]))
  const result: { covered: Array<{ bucket: Bucket, stored: CoveredBucket }>, missing: Bucket[] } = { covered: [], missing: [] }
  for (const bucket of needed) {
    const stored = byStart.get(bucket.start)
    if (stored !== undefined && stored.end === bucket.end) result.covered.push({ bucket, stored })
    else result.missing.push(bucket)
  }
  return result
}
