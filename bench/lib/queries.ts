/** Pure: the bench's queries, as /usage query strings relative to today in the bench's zone. */
import { DateTime } from 'luxon'
import { DIMENSIONS } from '../../src/usage/source-adapter.js'

export interface BenchQuery {
  /** Query string without the leading '?'. */
  search: string
  description: string
}

/** The local date `offsetDays` from the day holding `now` in `zone`, as YYYY-MM-DD (a date means local midnight). */
export function localDate (now: number, zone: string, offsetDays: number): string {
  const date = DateTime.fromMillis(now, { zone }).startOf('day').plus({ days: offsetDays }).toISODate()
  if (date === null) throw new RangeError(`cannot compute a date in zone ${zone}`)
  return date
}

export interface QueryOptions {
  now: number
  zone: string
  /** Days relative to today: [fromDay, toDay). */
  fromDay: number
  toDay: number
  granularity: 'hour' | 'day' | 'month'
  groupBy?: readonly string[]
  /** Restricts the query to these source ids (the bench leaves out a source whose floor exceeds its budget). */
  sources?: readonly string[]
  /** Seconds; the service accepts 1 to 120. */
  timeoutSeconds?: number
}

export function usageSearch (options: QueryOptions): string {
  const parameters = new URLSearchParams({
    from: localDate(options.now, options.zone, options.fromDay),
    to: localDate(options.now, options.zone, options.toDay),
    granularity: options.granularity,
    tz: options.zone
  })
  if (options.groupBy && options.groupBy.length > 0) parameters.set('groupBy', options.groupBy.join(','))
  if (options.sources) parameters.set('source', options.sources.join(','))
  if (options.timeoutSeconds !== undefined) parameters.set('timeout', String(options.timeoutSeconds))
  return parameters.toString()
}

/** Every dimension the catalog knows: the widest breakdown a caller can ask for. */
export const ALL_DIMENSIONS: readonly string[] = DIMENSIONS
