/**
 * The one check every converter makes on a provider's own records: a bucket (same start, same identifying fields)
 * listed twice is not usage to add up twice, nor a repeat to drop by guesswork; the answer is refused as
 * UPSTREAM_MALFORMED. The key is the provider's (its record fields), never the canonical records a converter makes
 * from one provider record, which legitimately share a start (one record per tier, per field, ...).
 *
 * Answers hold tens of thousands of records over a few field combinations, so no key is built per record: the
 * field values lead through one map per field to their combination's group, which holds the starts seen. A
 * converter keeps what it derives from a combination (its dimensions) on the group, made once, not per record.
 */
import { UpstreamError } from '../../errors.js'

type FieldValue = string | null | undefined
type Level<Derived> = Map<string | null, Level<Derived> | ProviderBucketGroup<Derived>>

/** The records of one combination of field values. */
export class ProviderBucketGroup<Derived = never> {
  private readonly starts = new Set<number>()
  /** What the converter made from these field values (e.g. the records' dimensions), shared by all its records. */
  derived: Derived | undefined

  constructor (private readonly buckets: ProviderBuckets<Derived>, readonly fields: readonly FieldValue[]) {}

  /** Notes one provider record of this combination; throws when its start was noted before. */
  claim (start: number): void {
    const before = this.starts.size
    this.starts.add(start)
    if (this.starts.size === before) throw this.buckets.repeated(start, this.fields)
  }
}

export class ProviderBuckets<Derived = never> {
  private readonly root: Level<Derived> = new Map()
  private readonly single: ProviderBucketGroup<Derived> | null

  /** `where` names the API and the list, e.g. 'DescribeLiveGrtnDuration StreamData'. */
  constructor (private readonly where: string, private readonly fieldNames: readonly string[]) {
    this.single = fieldNames.length === 0 ? new ProviderBucketGroup(this, []) : null
  }

  /**
   * The group of these field values (one per fieldName, in order): the same object for the same values. An absent
   * or null field is one value, and an empty string another.
   */
  groupOf (fields: readonly FieldValue[]): ProviderBucketGroup<Derived> {
    if (this.single !== null) return this.single
    let level = this.root
    const last = this.fieldNames.length - 1
    for (let position = 0; position < last; position++) {
      const value = fields[position] ?? null
      let next = level.get(value) as Level<Derived> | undefined
      if (next === undefined) {
        next = new Map()
        level.set(value, next)
      }
      level = next
    }
    const value = fields[last] ?? null
    let group = level.get(value) as ProviderBucketGroup<Derived> | undefined
    if (group === undefined) {
      group = new ProviderBucketGroup(this, fields.slice(0, this.fieldNames.length))
      level.set(value, group)
    }
    return group
  }

  /** Notes one provider record; throws when a record with the same start and field values was noted before. */
  claim (start: number, fields: readonly FieldValue[]): void {
    this.groupOf(fields).claim(start)
  }

  /** @internal The refusal of a repeated bucket, naming it. */
  repeated (start: number, fields: readonly FieldValue[]): UpstreamError {
    const named = this.fieldNames.map((name, index) => `${name}=${clip(fields[index] ?? 'absent')}`)
    const bucket = [`start ${new Date(start).toISOString()}`, ...named].join(', ')
    return new UpstreamError('UPSTREAM_MALFORMED',
      `${this.where} lists the same bucket twice (${bucket}): it is refused rather than counted twice or guessed at`)
  }
}

function clip (text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}
