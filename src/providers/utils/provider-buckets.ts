/**
 * The one check every converter makes on a provider's own records: a bucket (same start, same identifying fields)
 * listed twice is not usage to add up twice, nor a repeat to drop by guesswork; the answer is refused as
 * UPSTREAM_MALFORMED. The key is the provider's (its record fields), never the canonical records a converter makes
 * from one provider record, which legitimately share a start (one record per tier, per field, ...).
 */
import { UpstreamError } from '../../errors.js'

/** Stands for an absent field in a key, so that an absent value and an empty string stay different buckets. */
const ABSENT = '\u0001'
const SEPARATOR = '\u0000'

export class ProviderBuckets {
  private readonly seen = new Set<string>()

  /** `where` names the API and the list, e.g. 'DescribeLiveGrtnDuration StreamData'. */
  constructor (private readonly where: string, private readonly fieldNames: readonly string[]) {}

  /** Notes one provider record; throws when a record with the same start and field values was noted before. */
  claim (start: number, fields: ReadonlyArray<string | null | undefined>): void {
    let key = String(start)
    for (const value of fields) key += SEPARATOR + (value ?? ABSENT)
    if (this.seen.has(key)) throw this.repeated(start, fields)
    this.seen.add(key)
  }

  private repeated (start: number, fields: ReadonlyArray<string | null | undefined>): UpstreamError {
    const named = this.fieldNames.map((name, index) => `${name}=${clip(fields[index] ?? 'absent')}`)
    const bucket = [`start ${new Date(start).toISOString()}`, ...named].join(', ')
    return new UpstreamError('UPSTREAM_MALFORMED',
      `${this.where} lists the same bucket twice (${bucket}): it is refused rather than counted twice or guessed at`)
  }
}

function clip (text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}
