import type { CoveredBucket, LedgerRecord } from './ledger-types.js'

/** Records held at most, over every cached range: bounds the memory (roughly 100–200 bytes a record). */
export const DEFAULT_CACHED_RECORDS = 400_000

interface CachedRange {
  /** Revision rows that matched the range's predicate when the buckets were read (see RangeReadCache). */
  revisions: string
  buckets: readonly CoveredBucket[]
  records: number
}

/**
 * The answers of recent range reads, each kept with the number of revision rows its predicate (source, variant,
 * bucket starts in the range, recorded at or before as-of) matched when it was read. Revision rows are only ever
 * added, never updated or deleted, and a revision's records are written in the same transaction as its row: the set
 * of rows a predicate matches only grows, so the same count later means the same set, hence the same answer. A
 * write through this or any other replica adds a row and changes the count; no other invalidation is needed.
 *
 * The count must be taken before the read it vouches for: a row added in between makes the stored count smaller
 * than any later one, so the entry is simply never hit again (never a stale answer).
 *
 * Entries are frozen: every caller shares them.
 */
export class RangeReadCache {
  private readonly entries = new Map<string, CachedRange>()
  private records = 0

  constructor (private readonly maxRecords: number = DEFAULT_CACHED_RECORDS) {}

  static key (sourceId: string, variant: string, from: number, to: number, asOf: string): string {
    return JSON.stringify([sourceId, variant, from, to, asOf])
  }

  /** The buckets read under `key` when its predicate matched `revisions` rows, or undefined. */
  get (key: string, revisions: string): readonly CoveredBucket[] | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (entry.revisions !== revisions) {
      this.remove(key, entry)
      return undefined
    }
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.buckets
  }

  /** Keeps (and freezes) `buckets`; returns them frozen. Too large to keep: returned as they are, not kept. */
  set (key: string, revisions: string, buckets: CoveredBucket[]): readonly CoveredBucket[] {
    const records = buckets.reduce((sum, bucket) => sum + bucket.records.length, 0) + buckets.length
    const previous = this.entries.get(key)
    if (previous !== undefined) this.remove(key, previous)
    if (records > this.maxRecords) return buckets
    const frozen = Object.freeze(buckets.map(freezeBucket))
    this.entries.set(key, { revisions, buckets: frozen, records })
    this.records += records
    for (const [oldestKey, oldest] of this.entries) {
      if (this.records <= this.maxRecords) break
      this.remove(oldestKey, oldest)
    }
    return frozen
  }

  clear (): void {
    this.entries.clear()
    this.records = 0
  }

  private remove (key: string, entry: CachedRange): void {
    this.entries.delete(key)
    this.records -= entry.records
  }
}

function freezeBucket (bucket: CoveredBucket): CoveredBucket {
  for (const record of bucket.records) freezeRecord(record)
  Object.freeze(bucket.records)
  return Object.freeze(bucket)
}

function freezeRecord (record: LedgerRecord): void {
  Object.freeze(record.dimensions)
  Object.freeze(record)
}
