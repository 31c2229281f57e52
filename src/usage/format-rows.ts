/**
 * Pure: the answer as flat JSON rows, one object per point, for tools that read a table of records (Grafana's JSON
 * data sources, pandas.DataFrame) without transforms. A bare array has no room for completeness or warnings: those
 * go in headers (see answer-formats.ts).
 */
import type { UsageResponse } from './usage-response.js'

/** start, end, metric, unit, one key per grouped dimension (null when the series has none), value, state. */
export type UsageRow = Record<string, string | number | null>

export function toRows (response: UsageResponse, groupBy: readonly string[]): UsageRow[] {
  const rows: UsageRow[] = []
  for (const series of response.series) {
    const dimensions = Object.fromEntries(groupBy.map(name => [name, series.dimensions[name] ?? null]))
    for (const point of series.points) {
      rows.push({ start: point.start, end: point.end, metric: series.metric, unit: series.unit, ...dimensions, value: point.value, state: point.state })
    }
  }
  return rows
}
