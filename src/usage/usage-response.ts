/**
 * The JSON answer callers read, as plain types: what the core formats (format-answer.ts). The response schema
 * that documents it is checked against these at compile time, so the two cannot drift apart.
 */
import type { Granularity } from '../time/index.js'
import type { Unit } from './source-adapter.js'
import type { PointState } from './merge-series.js'
import type { SourceReport, UsageWarning } from './usage-query.js'

/** RFC 3339 with the offset of the query's zone at that instant. */
export type FormattedInstant = string

export interface ResponsePoint {
  start: FormattedInstant
  end: FormattedInstant
  value: number | null
  state: PointState
}

export interface ResponseSeries {
  metric: string
  unit: Unit
  dimensions: Record<string, string | null>
  points: ResponsePoint[]
  /** Only when every point has a value and none is incomplete: never the sum of an incomplete series. */
  total: number | null
  /** The sum of the values obtained (equal to total when there is one); null when no point has a value. */
  partialTotal: number | null
}

/** A source's report as in the answer, its out-of-range part in the query's zone. */
export interface ResponseSourceReport extends Omit<SourceReport, 'outOfRange'> {
  outOfRange: { from: FormattedInstant, to: FormattedInstant } | null
}

export interface UsageResponse {
  from: FormattedInstant
  to: FormattedInstant
  granularity: Granularity
  tz: string
  complete: boolean
  /** Complete, the range settled, and every point of every series final: the numbers will not change. */
  final: boolean
  series: ResponseSeries[]
  sources: ResponseSourceReport[]
  warnings: UsageWarning[]
  cacheAgeSeconds: number | null
}
