import { createHash } from 'node:crypto'
import { LedgerValueError, LedgerWriteError } from './ledger-errors.js'
import type { LedgerRecord, LedgerRecordInput, SettledBucketInput } from './ledger-types.js'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** A bucket ready to store: its records in one canonical order, values as exact decimal text, and a digest of them. */
export interface CanonicalBucket {
  start: number
  end: number
  records: Array<{ metric: string, dimensionsJson: string, value: string, unit: string }>
  digest: string
}

/**
 * Puts a bucket's records in a canonical form, so that the same records in any order (and dimension keys
 * in any order) give the same digest: "identical" means same metric, dimensions, value and unit, as a set.
 */
export function canonicalBucket (bucket: SettledBucketInput, what: string): CanonicalBucket {
  if (!Number.isSafeInteger(bucket.start) || !Number.isSafeInteger(bucket.end) || bucket.end <= bucket.start) {
    throw new LedgerWriteError(`${what}: bucket [${bucket.start}, ${bucket.end}) is not a range of integer epoch milliseconds`)
  }
  const records = bucket.records.map(record => canonicalRecord(record, `${what} bucket ${bucket.start}`))
  records.sort((left, right) => compareText(left.key, right.key))
  for (let index = 1; index < records.length; index++) {
    if (records[index]?.key === records[index - 1]?.key) {
      throw new LedgerWriteError(`${what} bucket ${bucket.start}: metric ${records[index]?.metric} with dimensions ${records[index]?.dimensionsJson} appears twice`)
    }
  }
  const digest = createHash('sha256').update(JSON.stringify([bucket.end, records.map(record => [record.key, record.value, record.unit])])).digest('hex')
  return { start: bucket.start, end: bucket.end, records: records.map(({ key, ...record }) => record), digest }
}

function canonicalRecord (record: LedgerRecordInput, what: string) {
  if (typeof record.metric !== 'string' || record.metric === '') throw new LedgerWriteError(`${what}: a record has no metric`)
  if (typeof record.unit !== 'string' || record.unit === '') throw new LedgerWriteError(`${what}: metric ${record.metric} has no unit`)
  const entries = Object.entries(record.dimensions)
  for (const [name, value] of entries) {
    if (typeof value !== 'string') throw new LedgerWriteError(`${what}: dimension ${name} of metric ${record.metric} is not a string`)
  }
  entries.sort(([left], [right]) => compareText(left, right))
  const dimensionsJson = JSON.stringify(Object.fromEntries(entries))
  return { key: JSON.stringify([record.metric, dimensionsJson]), metric: record.metric, dimensionsJson, value: exactValueText(record.value, what, record.metric), unit: record.unit }
}

function exactValueText (value: number | bigint, what: string, metric: string): string {
  if (typeof value === 'bigint') {
    if (value < INT64_MIN || value > INT64_MAX) throw new LedgerWriteError(`${what}: value ${value} of metric ${metric} does not fit a 64-bit integer`)
    return value.toString()
  }
  if (!Number.isSafeInteger(value)) throw new LedgerWriteError(`${what}: value ${value} of metric ${metric} is not a safe integer (pass a bigint for exact large values)`)
  return String(value)
}

/** Code-unit order, the same in every locale and runtime. */
function compareText (left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0
}

/** A BIGINT read back as text, as a number only when exactly representable. */
export function safeNumber (text: string, what: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new LedgerValueError(`${what}: stored value ${text} is beyond 2^53 - 1 and cannot be read as an exact number`)
  return value
}

/**
 * A bucket's records as readRange returns them: JSON of [metric, dimensions as JSON text, value as text, unit] each.
 * Records with the same dimensions share one object from `dimensionSets` (keyed by the store's canonical jsonb text):
 * decoded once, and the merger finds a series once per dimensions object instead of once per record.
 */
export function parseRecords (json: string, what: string, dimensionSets: Map<string, Record<string, string>> = new Map()): LedgerRecord[] {
  const rows = JSON.parse(json) as Array<[string, string, string, string]>
  return rows.map(([metric, dimensionsJson, value, unit]) => {
    let dimensions = dimensionSets.get(dimensionsJson)
    if (dimensions === undefined) {
      dimensions = JSON.parse(dimensionsJson) as Record<string, string>
      dimensionSets.set(dimensionsJson, dimensions)
    }
    return { metric, dimensions, value: safeNumber(value, `${what} metric ${metric}`), unit }
  })
}
