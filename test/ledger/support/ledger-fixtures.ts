import type { LedgerRecordInput, SettledBucketInput } from '../../../src/ledger/index.js'

export const HOUR = 3_600_000
/** 2026-11-01T00:00:00Z */
export const NOVEMBER_FIRST = Date.UTC(2026, 10, 1)

/** `count` hourly buckets from `first`, each with `recordsPerBucket` records whose values derive from `seed`. */
export function hourlyBuckets (first: number, count: number, recordsPerBucket: number, seed = 1): SettledBucketInput[] {
  return Array.from({ length: count }, (_, index) => {
    const start = first + index * HOUR
    return { start, end: start + HOUR, records: bucketRecords(recordsPerBucket, seed + index) }
  })
}

export function bucketRecords (count: number, seed: number): LedgerRecordInput[] {
  return Array.from({ length: count }, (_, index) => ({
    metric: index % 2 === 0 ? 'transcode.duration' : 'live.production.duration',
    dimensions: { tier: `tier-${index}`, region: index % 3 === 0 ? 'cn-shanghai' : 'ap-singapore' },
    value: (seed * 7919 + index * 104_729) % 1_000_003,
    unit: 'second'
  }))
}

export const CRASH_BATCH_BUCKETS = 40
export const CRASH_RECORDS_PER_BUCKET = 15
