/** What callers hand to and get from the ledger. Instants are epoch milliseconds. */

export interface LedgerRecordInput {
  metric: string
  /** Dimension name → value, e.g. { tier: 'hd', region: 'cn-shanghai' }. Key order does not matter. */
  dimensions: Readonly<Record<string, string>>
  /** Integer in `unit`: a safe integer, or a bigint for exact values past 2^53 (read back only as far as exact). */
  value: number | bigint
  unit: string
}

export interface LedgerRecord {
  metric: string
  dimensions: Record<string, string>
  value: number
  unit: string
}

/** One settled native bucket [start, end) as the provider answered it. No records = the provider reported zero. */
export interface SettledBucketInput {
  start: number
  end: number
  records: readonly LedgerRecordInput[]
}

/** Every settled bucket of one upstream call: written whole or not at all. */
export interface SettledCallWrite {
  sourceId: string
  /** Opaque key of the call variant (grid + pushed-down parameters), computed by the caller. */
  variant: string
  /** When the provider answered. */
  fetchedAt: number
  /** The provider's request id of that answer, for support tickets. */
  requestId: string | null
  buckets: readonly SettledBucketInput[]
}

export type BucketWriteOutcome = 'new' | 'unchanged' | 'restated'

export interface SettledWriteResult {
  /** Per bucket start, in ascending order: first covered now, identical to what was stored, or a new revision. */
  buckets: Array<{ start: number, end: number, outcome: BucketWriteOutcome, revision: number }>
  /** Starts of the buckets whose stored records changed (a new revision was written). */
  restated: number[]
  /** Starts of the buckets covered for the first time. */
  added: number[]
  unchanged: number
}

export interface CoveredBucket {
  start: number
  end: number
  /** Empty when the provider reported no usage for the bucket (a zero, not an unknown). */
  records: LedgerRecord[]
  /** 1 for the first settled answer; higher when the provider restated the bucket. */
  revision: number
  /** True when the bucket had changed after it was first settled (revision > 1): answers carry RESTATED. */
  restated: boolean
  fetchedAt: number
  requestId: string | null
  /** When the ledger recorded this revision. */
  recordedAt: number
}

export interface LedgerRangeRead {
  sourceId: string
  variant: string
  from: number
  to: number
  /** Read the ledger as it was at this instant; omitted or null: now. */
  asOf?: number | null
}

export interface SourceLedgerStatus {
  sourceId: string
  /** Start of the oldest covered bucket, start and end of the newest. */
  oldestBucketStart: number
  newestBucketStart: number
  newestBucketEnd: number
  /** Covered buckets, over every variant. */
  buckets: number
  /** Buckets with at least one restatement. */
  restatedBuckets: number
  variants: number
  /** Latest instant a revision was recorded. */
  lastWriteAt: number
}

export interface SyncState {
  sourceId: string
  lastAttemptAt: number | null
  lastSuccessAt: number | null
  lastError: string | null
  lastErrorAt: number | null
}

export interface InconsistentBucket {
  sourceId: string
  variant: string
  bucketStart: number
  revision: number
  expectedRecords: number
  storedRecords: number
}
