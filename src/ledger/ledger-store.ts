import { systemClock, type Clock } from '../clock.js'
import { canonicalBucket, parseRecords, safeNumber, type CanonicalBucket } from './bucket-content.js'
import type { BucketBounds } from './coverage.js'
import type { LedgerDriver, LedgerQueryable } from './ledger-driver.js'
import { LedgerWriteError } from './ledger-errors.js'
import { MAX_BIGINT_TEXT, ledgerSql, type LedgerSql } from './ledger-sql.js'
import type {
  BucketWriteOutcome, CoveredBucket, LedgerRecord, InconsistentBucket, LedgerRangeRead, SettledCallWrite, SettledWriteResult,
  SourceLedgerStatus, SyncState
} from './ledger-types.js'
import { advisoryLockKey } from './lock-key.js'
import { DEFAULT_CACHED_RECORDS, RangeReadCache } from './range-read-cache.js'
import { RevisionRecordsCache } from './revision-records-cache.js'

/** Records per INSERT statement: bounds one statement's arrays, well under any parameter or memory limit. */
const RECORDS_PER_STATEMENT = 10_000
/** Attempts of one write when other writers keep winning races for the same buckets. */
const WRITE_ATTEMPTS = 8
/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE_STATES = new Set(['40001', '40P01'])

interface RevisionToInsert {
  bucket: CanonicalBucket
  revision: number
  recordedAt: number
}

/** Another writer committed the same bucket revision first: re-read and decide again. */
class LostRace extends Error {}

export interface LedgerStoreOptions {
  driver: LedgerDriver
  schema: string
  /** Stamps revisions (`recordedAt`), which as-of reads compare against. */
  clock?: Clock
  /** Records the range-read cache may hold (0: no cache); see RangeReadCache. */
  cachedRecords?: number
}

export class LedgerStore {
  readonly driver: LedgerDriver
  readonly schema: string
  private readonly clock: Clock
  private readonly sql: LedgerSql
  private readonly rangeCache: RangeReadCache | null
  private readonly revisionCache: RevisionRecordsCache | null

  constructor (options: LedgerStoreOptions) {
    this.driver = options.driver
    this.schema = options.schema
    this.clock = options.clock ?? systemClock
    this.sql = ledgerSql(options.schema)
    const cachedRecords = options.cachedRecords ?? DEFAULT_CACHED_RECORDS
    this.rangeCache = cachedRecords === 0 ? null : new RangeReadCache(cachedRecords)
    this.revisionCache = cachedRecords === 0 ? null : new RevisionRecordsCache(cachedRecords)
  }

  /**
   * Stores the settled buckets of one upstream call in one transaction: all of them, or (on any error)
   * none. A bucket already covered with identical records is left as it is; with different records it
   * gets a new revision and the old one stays readable. Concurrent writers of the same bucket end with
   * one revision between them and no error.
   */
  async writeSettled (write: SettledCallWrite): Promise<SettledWriteResult> {
    const what = `ledger write for source ${write.sourceId}`
    if (!Number.isSafeInteger(write.fetchedAt)) throw new LedgerWriteError(`${what}: fetchedAt ${write.fetchedAt} is not integer epoch milliseconds`)
    const buckets = write.buckets.map(bucket => canonicalBucket(bucket, what)).sort((left, right) => left.start - right.start)
    for (let index = 1; index < buckets.length; index++) {
      if (buckets[index]?.start === buckets[index - 1]?.start) throw new LedgerWriteError(`${what}: bucket ${buckets[index]?.start} appears twice in one write`)
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.driver.transaction(async transaction => await this.writeOnce(transaction, write, buckets))
      } catch (error) {
        const retryable = error instanceof LostRace || RETRYABLE_STATES.has((error as { code?: string }).code ?? '')
        if (!retryable || attempt >= WRITE_ATTEMPTS) throw error
      }
    }
  }

  private async writeOnce (transaction: LedgerQueryable, write: SettledCallWrite, buckets: CanonicalBucket[]): Promise<SettledWriteResult> {
    const starts = buckets.map(bucket => String(bucket.start))
    const latestRows = buckets.length === 0
      ? []
      : await transaction.query<{ bucket_start: string, bucket_end: string, revision: number, content_digest: string, recorded_at: string }>(
        this.sql.latestRevisions, [write.sourceId, write.variant, starts])
    const latest = new Map(latestRows.map(row => [row.bucket_start, row]))
    const now = this.clock.now()
    const outcomes: SettledWriteResult['buckets'] = []
    const toInsert: RevisionToInsert[] = []
    for (const bucket of buckets) {
      const stored = latest.get(String(bucket.start))
      if (stored !== undefined && Number(stored.bucket_end) !== bucket.end) {
        throw new LedgerWriteError(`ledger write for source ${write.sourceId} variant ${write.variant}: bucket ${bucket.start} is stored ending at ${stored.bucket_end}, written ending at ${bucket.end} (a variant key must fix the grid)`)
      }
      let outcome: BucketWriteOutcome
      let revision: number
      let recordedAt = now
      if (stored === undefined) {
        outcome = 'new'
        revision = 1
      } else if (stored.content_digest === bucket.digest) {
        outcome = 'unchanged'
        revision = stored.revision
      } else {
        outcome = 'restated'
        revision = stored.revision + 1
        // Keeps revisions of a bucket in time order even when replicas' clocks disagree, so an as-of read
        // never sees a later revision without the earlier one.
        recordedAt = Math.max(recordedAt, Number(stored.recorded_at) + 1)
      }
      outcomes.push({ start: bucket.start, end: bucket.end, outcome, revision })
      if (outcome !== 'unchanged') toInsert.push({ bucket, revision, recordedAt })
    }
    if (toInsert.length > 0) await this.insertRevisions(transaction, write, toInsert)
    return {
      buckets: outcomes,
      restated: outcomes.filter(bucket => bucket.outcome === 'restated').map(bucket => bucket.start),
      added: outcomes.filter(bucket => bucket.outcome === 'new').map(bucket => bucket.start),
      unchanged: outcomes.filter(bucket => bucket.outcome === 'unchanged').length
    }
  }

  private async insertRevisions (transaction: LedgerQueryable, write: SettledCallWrite, toInsert: RevisionToInsert[]): Promise<void> {
    const inserted = await transaction.query<{ id: string, bucket_start: string }>(this.sql.insertRevisions, [
      write.sourceId, write.variant, String(write.fetchedAt), write.requestId,
      toInsert.map(({ bucket }) => String(bucket.start)),
      toInsert.map(({ bucket }) => String(bucket.end)),
      toInsert.map(({ revision }) => revision),
      toInsert.map(({ bucket }) => bucket.digest),
      toInsert.map(({ bucket }) => bucket.records.length),
      toInsert.map(({ recordedAt }) => String(recordedAt))
    ])
    if (inserted.length !== toInsert.length) throw new LostRace()
    const revisionIds = new Map(inserted.map(row => [row.bucket_start, row.id]))
    let columns = emptyRecordColumns()
    for (const { bucket } of toInsert) {
      const revisionId = revisionIds.get(String(bucket.start)) as string
      for (const record of bucket.records) {
        columns.revisionIds.push(revisionId)
        columns.metrics.push(record.metric)
        columns.dimensions.push(record.dimensionsJson)
        columns.values.push(record.value)
        columns.units.push(record.unit)
        if (columns.metrics.length >= RECORDS_PER_STATEMENT) {
          await this.insertRecords(transaction, columns)
          columns = emptyRecordColumns()
        }
      }
    }
    if (columns.metrics.length > 0) await this.insertRecords(transaction, columns)
  }

  private async insertRecords (transaction: LedgerQueryable, columns: ReturnType<typeof emptyRecordColumns>): Promise<void> {
    await transaction.query(this.sql.insertRecords, [columns.revisionIds, columns.metrics, columns.dimensions, columns.values, columns.units])
  }

  /**
   * The covered buckets of one source and variant that lie inside [from, to), in start order, each with
   * its records, as of now or as of `asOf`. A bucket of the range that is not in the answer is not
   * covered: unknown, never zero. Answers are frozen and shared: one count query while the range is unchanged (RangeReadCache), else the latest revisions and the records of those not read before.
   */
  async readRange (read: LedgerRangeRead): Promise<CoveredBucket[]> {
    const asOf = read.asOf === undefined || read.asOf === null ? MAX_BIGINT_TEXT : String(read.asOf)
    const parameters = [read.sourceId, read.variant, String(read.from), String(read.to), asOf]
    const cache = this.rangeCache
    if (cache === null) return await this.readRangeRows(read, parameters)
    // Counted before reading: see RangeReadCache for why this order never lets a stale answer be served.
    const [counted] = await this.driver.query<{ revisions: string }>(this.sql.countRangeRevisions, parameters)
    const revisions = counted?.revisions ?? '0'
    const key = RangeReadCache.key(read.sourceId, read.variant, read.from, read.to, asOf)
    // Frozen and shared: callers only read them (the type says mutable only to keep the interface as it was).
    const cached = cache.get(key, revisions)
    if (cached !== undefined) return cached as CoveredBucket[]
    return cache.set(key, revisions, await this.readRangeByRevision(read, parameters)) as CoveredBucket[]
  }

  /**
   * The range in two steps: the latest revision of each bucket (no records), then the records of only those
   * revisions this process has not read before (a revision's records never change).
   */
  private async readRangeByRevision (read: LedgerRangeRead, parameters: string[]): Promise<CoveredBucket[]> {
    const cache = this.revisionCache as RevisionRecordsCache
    const [latest] = await this.driver.query<{ revisions: string | null }>(this.sql.readRangeRevisions, parameters)
    const rows = JSON.parse(latest?.revisions ?? '[]') as Array<[string, string, string, number, string, string | null, string]>
    const known = new Map<string, readonly LedgerRecord[]>()
    const missing: string[] = []
    for (const [id, start, , revision] of rows) {
      const key = RevisionRecordsCache.key(id, start, revision)
      const records = cache.get(key)
      if (records === undefined) missing.push(id)
      else known.set(id, records)
    }
    if (missing.length > 0) {
      const fetched = await this.driver.query<{ id: string, records: string }>(this.sql.readRevisionRecords, [missing])
      const byId = new Map(fetched.map(row => [row.id, row.records]))
      const dimensionSets = new Map<string, Record<string, string>>()
      for (const [id, start, , revision] of rows) {
        if (known.has(id)) continue
        const json = byId.get(id)
        const records = json === undefined ? [] : parseRecords(json, `ledger source ${read.sourceId} bucket ${start}`, dimensionSets)
        known.set(id, cache.set(RevisionRecordsCache.key(id, start, revision), records))
      }
    }
    return rows.map(([id, start, end, revision, fetchedAt, requestId, recordedAt]) => ({
      start: Number(start),
      end: Number(end),
      records: known.get(id) as LedgerRecord[],
      revision,
      restated: revision > 1,
      fetchedAt: Number(fetchedAt),
      requestId,
      recordedAt: Number(recordedAt)
    }))
  }

  private async readRangeRows (read: LedgerRangeRead, parameters: string[]): Promise<CoveredBucket[]> {
    const rows = await this.driver.query<{
      bucket_start: string
      bucket_end: string
      revision: number
      fetched_at: string
      request_id: string | null
      recorded_at: string
      records: string | null
    }>(this.sql.readRange, parameters)
    const dimensionSets = new Map<string, Record<string, string>>()
    return rows.map(row => {
      const start = Number(row.bucket_start)
      return {
        start,
        end: Number(row.bucket_end),
        records: row.records === null ? [] : parseRecords(row.records, `ledger source ${read.sourceId} bucket ${start}`, dimensionSets),
        revision: row.revision,
        restated: row.revision > 1,
        fetchedAt: Number(row.fetched_at),
        requestId: row.request_id,
        recordedAt: Number(row.recorded_at)
      }
    })
  }

  /**
   * The bounds of the covered buckets of one source and variant inside [from, to), in start order, without
   * records: cheap enough to find the gaps of a provider's whole lookback. One query.
   */
  async coveredBounds (read: Omit<LedgerRangeRead, 'asOf'>): Promise<BucketBounds[]> {
    const rows = await this.driver.query<{ bucket_start: string, bucket_end: string }>(
      this.sql.coveredBounds, [read.sourceId, read.variant, String(read.from), String(read.to)])
    return rows.map(row => ({ start: Number(row.bucket_start), end: Number(row.bucket_end) }))
  }

  /** Per source: the covered span, bucket counts and last write. Sources with nothing covered are absent. */
  async status (sourceIds: readonly string[] | null = null): Promise<SourceLedgerStatus[]> {
    const rows = await this.driver.query<{
      source_id: string
      oldest_start: string
      newest_start: string
      newest_end: string
      buckets: string
      restated_buckets: string
      variants: string
      last_write_at: string
    }>(this.sql.sourceStatus, [sourceIds])
    return rows.map(row => ({
      sourceId: row.source_id,
      oldestBucketStart: Number(row.oldest_start),
      newestBucketStart: Number(row.newest_start),
      newestBucketEnd: Number(row.newest_end),
      buckets: Number(row.buckets),
      restatedBuckets: Number(row.restated_buckets),
      variants: Number(row.variants),
      lastWriteAt: Number(row.last_write_at)
    }))
  }

  /** Revisions whose records are not all there: empty unless the store was damaged outside the ledger. */
  async verify (): Promise<InconsistentBucket[]> {
    const rows = await this.driver.query<{ source_id: string, variant: string, bucket_start: string, revision: number, record_count: number, stored: number }>(this.sql.inconsistentRevisions)
    return rows.map(row => ({
      sourceId: row.source_id,
      variant: row.variant,
      bucketStart: Number(row.bucket_start),
      revision: row.revision,
      expectedRecords: row.record_count,
      storedRecords: row.stored
    }))
  }

  async syncState (sourceId: string): Promise<SyncState | null> {
    return (await this.syncStates(sourceId))[0] ?? null
  }

  /** Every source's sync state (or one source's). */
  async syncStates (sourceId: string | null = null): Promise<SyncState[]> {
    const rows = await this.driver.query<{ source_id: string, last_attempt_at: string | null, last_success_at: string | null, last_error: string | null, last_error_at: string | null }>(
      this.sql.readSyncState, [sourceId])
    const instant = (text: string | null) => text === null ? null : safeNumber(text, 'ledger sync state instant')
    return rows.map(row => ({
      sourceId: row.source_id,
      lastAttemptAt: instant(row.last_attempt_at),
      lastSuccessAt: instant(row.last_success_at),
      lastError: row.last_error,
      lastErrorAt: instant(row.last_error_at)
    }))
  }

  /** A sync of the source starts: its attempt is visible before it ends (or if the process dies in it). */
  async recordSyncAttempt (sourceId: string, at: number = this.clock.now()): Promise<void> {
    await this.driver.query(this.sql.recordSyncAttempt, [sourceId, String(at)])
  }

  /** A sync of the source finished; its last error (if any) is kept with its time, older than this success. */
  async recordSyncSuccess (sourceId: string, at: number = this.clock.now()): Promise<void> {
    await this.driver.query(this.sql.recordSyncSuccess, [sourceId, String(at)])
  }

  async recordSyncFailure (sourceId: string, message: string, at: number = this.clock.now()): Promise<void> {
    await this.driver.query(this.sql.recordSyncFailure, [sourceId, String(at), message])
  }

  /**
   * Runs `work` if no other holder (in any replica sharing this store) has the named lock, else returns
   * null at once. The lock is released when `work` settles, or when the holder's connection dies.
   */
  async withExclusiveLock<T> (name: string, work: () => Promise<T>): Promise<{ value: T } | null> {
    return await this.driver.withSessionLock(advisoryLockKey(this.schema, `lock:${name}`), work)
  }

  async close (): Promise<void> {
    await this.driver.close()
  }
}

function emptyRecordColumns () {
  return { revisionIds: [] as string[], metrics: [] as string[], dimensions: [] as string[], values: [] as string[], units: [] as string[] }
}
