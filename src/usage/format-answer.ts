/** Pure: the core's answer as the JSON and CSV that callers read. Instants become RFC 3339 in the query's zone. */
import { formatInstant } from '../time/index.js'
import type { Catalog } from './catalog.js'
import type { SourceReport, UsageAnswer, UsageQuery } from './usage-query.js'
import type { ResponseSourceReport, UsageResponse } from './usage-response.js'

export function toJsonResponse (answer: UsageAnswer, query: UsageQuery, now: number, catalog: Pick<Catalog, 'findMetric'>): UsageResponse {
  const zone = query.zone
  // Every series has a point per bucket, so the same instants recur in each: formatting each instant once per answer
  // (not twice per point, which was most of a cached answer's CPU time) and looking it up after.
  const formatted = new Map<number, string>()
  const format = (instant: number): string => {
    let text = formatted.get(instant)
    if (text === undefined) {
      text = formatInstant(instant, zone)
      formatted.set(instant, text)
    }
    return text
  }
  return {
    from: formatInstant(answer.range.from, zone),
    to: formatInstant(answer.range.to, zone),
    granularity: query.granularity,
    tz: zone,
    complete: answer.complete,
    // Settled as well: with no series, "every point final" would hold of a range that is not even over.
    final: answer.complete && answer.settled && answer.series.every(series => series.points.every(point => point.state === 'final')),
    series: answer.series.map(series => ({
      metric: series.metric,
      unit: catalog.findMetric(series.metric)?.unit ?? 'count',
      dimensions: series.dimensions,
      points: series.points.map(point => ({
        start: format(point.start),
        end: format(point.end),
        value: point.value,
        state: point.state
      })),
      total: series.total,
      partialTotal: series.partialTotal
    })),
    sources: formatSourceReports(answer.sources, zone),
    warnings: answer.warnings,
    cacheAgeSeconds: answer.oldestCachedAt === null ? null : Math.max(0, Math.floor((now - answer.oldestCachedAt) / 1000))
  }
}

/** sources[] as callers read it, in the answer and in the details of a refused one. */
export function formatSourceReports (sources: readonly SourceReport[], zone: string): ResponseSourceReport[] {
  return sources.map(source => ({
    ...source,
    outOfRange: source.outOfRange
      ? { from: formatInstant(source.outOfRange.from, zone), to: formatInstant(source.outOfRange.to, zone) }
      : null
  }))
}

/**
 * One row per point: start,end,metric,unit,<groupBy columns>,value,state. Lines end in CRLF (RFC 4180). A series
 * without a value for a grouped dimension has an empty cell there: the data as it is, never a made-up value.
 */
export function toCsv (response: UsageResponse, groupBy: readonly string[]): string {
  const lines = [csvLine(['start', 'end', 'metric', 'unit', ...groupBy, 'value', 'state'])]
  for (const series of response.series) {
    const dimensionFields = groupBy.map(name => csvField(series.dimensions[name] ?? ''))
    for (const point of series.points) {
      lines.push([
        point.start, point.end, csvField(series.metric), series.unit, ...dimensionFields,
        point.value === null ? '' : String(point.value), point.state
      ].join(','))
    }
  }
  return csvDocument(lines)
}

/** A header or row of text cells, each quoted and defused as needed. */
export function csvLine (cells: readonly string[]): string {
  return cells.map(csvField).join(',')
}

/** Lines joined and ended in CRLF (RFC 4180). */
export function csvDocument (lines: readonly string[]): string {
  return lines.join('\r\n') + '\r\n'
}

/**
 * RFC 4180 quoting, and spreadsheet formula injection defused: dimension values come from the providers, so a
 * cell starting with =, +, -, @, TAB or CR is prefixed with a single quote and quoted, which every spreadsheet
 * reads as text. Values are never negative, so no number is altered.
 */
export function csvField (value: string): string {
  if (/^[=+\-@\t\r]/.test(value)) return `"'${value.replace(/"/g, '""')}"`
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
