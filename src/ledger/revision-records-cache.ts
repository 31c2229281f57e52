import type { LedgerRecord } from './ledger-types.js'

/**
 * The records of recently read bucket revisions, by revision row. A revision's records are written in the same
 * transaction as its row and never change afterwards, so they can be kept as long as memory allows, with no
 * invalidation: a range read after a write fetches only the revisions it has not seen. Least recently used out
 * first; the lists are frozen (shared by every caller).
 */
export class RevisionRecordsCache {
  private readonly entries = new Map<string, readonly LedgerRecord[]>()
  private records = 0

  constructor (private readonly maxRecords: number) {}

  /** The key of one revision row: its id, checked against the bucket and revision number it must hold. */
  static key (id: string, bucketStart: string, revision: number): string {
    return `${id}:${bucketStart}:${revision}`
  }

  get (key: string): readonly LedgerRecord[] | undefined {
    const records = this.entries.get(key)
    if (records === undefined) return undefined
    this.entries.delete(key)
    this.entries.set(key, records)
    return records
  }

  set (key: string, records: LedgerRecord[]): readonly LedgerRecord[] {
    for (const record of records) {
      Object.freeze(record.dimensions)
      Object.freeze(record)
    }
    const frozen = Object.freeze(records)
    const previous = this.entries.get(key)
    if (previous !== undefined) {
      this.entries.delete(key)
      this.records -= previous.length + 1
    }
    if (records.length + 1 > this.maxRecords) return frozen
    this.entries.set(key, frozen)
    this.records += records.length + 1
    for (const [oldestKey, oldest] of this.entries) {
      if (this.records <= this.maxRecords) break
      this.entries.delete(oldestKey)
      this.records -= oldest.length + 1
    }
    return frozen
  }
}
