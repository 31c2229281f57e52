import type { LedgerRecord, LedgerRecordInput } from '../ledger/index.js'

/** One record of a bucket whose value is not the same in the ledger and at the provider (null: absent on that side). */
export interface RecordDifference {
  metric: string
  dimensions: Record<string, string>
  unit: string
  ledger: number | null
  provider: number | null
}

/**
 * Pure: the records of one bucket that differ between what the ledger holds and what the provider answers now,
 * matched by metric and dimensions (key order ignored). Empty: the same usage. An absent record is not a zero
 * here: a record on one side only is a difference, as the ledger's digest would see it.
 */
export function recordDifferences (ledger: readonly LedgerRecord[], provider: readonly LedgerRecordInput[]): RecordDifference[] {
  const keyOf = (record: { metric: string, dimensions: Readonly<Record<string, string>> }): string =>
    JSON.stringify([record.metric, Object.entries(record.dimensions).sort(([left], [right]) => left < right ? -1 : left > right ? 1 : 0)])
  const stored = new Map(ledger.map(record => [keyOf(record), record]))
  const differences: RecordDifference[] = []
  for (const record of provider) {
    const key = keyOf(record)
    const before = stored.get(key)
    stored.delete(key)
    const value = Number(record.value)
    if (before !== undefined && before.value === value && before.unit === record.unit) continue
    differences.push({ metric: record.metric, dimensions: { ...record.dimensions }, unit: record.unit, ledger: before?.value ?? null, provider: value })
  }
  for (const record of stored.values()) {
    differences.push({ metric: record.metric, dimensions: record.dimensions, unit: record.unit, ledger: record.value, provider: null })
  }
  return differences
}
