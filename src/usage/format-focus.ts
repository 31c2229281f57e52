/**
 * Pure: the answer as CSV with FinOps FOCUS column names where one applies, for billing tools that import FOCUS
 * exports. These APIs report usage, not cost, so every row is ChargeCategory Usage and no cost column is written.
 * Columns FOCUS does not define carry the `x_` prefix it reserves for extensions.
 */
import { createHash } from 'node:crypto'
import { formatInstant } from '../time/index.js'
import { csvDocument, csvLine } from './format-answer.js'
import type { UsageResponse } from './usage-response.js'

/** Dimensions with a FOCUS column of their own; every other grouped dimension becomes `x_<Dimension>`. */
const FOCUS_DIMENSION_COLUMNS: Readonly<Record<string, string>> = {
  provider: 'ProviderName',
  service: 'ServiceName',
  region: 'RegionId',
  instance: 'ResourceId',
  account: 'SubAccountId'
}

/** Hex characters of x_RowId: 128 bits of SHA-256, so two different rows never share one in practice. */
const ROW_ID_LENGTH = 32

export function toFocusCsv (response: UsageResponse, groupBy: readonly string[]): string {
  const extraDimensions = groupBy.filter(name => FOCUS_DIMENSION_COLUMNS[name] === undefined)
  const header = [
    'ChargePeriodStart', 'ChargePeriodEnd', 'ChargeCategory', 'ConsumedQuantity', 'ConsumedUnit',
    ...Object.values(FOCUS_DIMENSION_COLUMNS), 'x_Metric', 'x_State',
    ...extraDimensions.map(name => `x_${name.charAt(0).toUpperCase()}${name.slice(1)}`), 'x_RowId'
  ]
  const lines = [csvLine(header)]
  const utc = utcFormatter()
  for (const series of response.series) {
    const value = (name: string): string => groupBy.includes(name) ? series.dimensions[name] ?? '' : ''
    const focusDimensions = Object.keys(FOCUS_DIMENSION_COLUMNS).map(value)
    const extras = extraDimensions.map(value)
    const identity = JSON.stringify([series.metric, [...groupBy].sort().map(name => [name, series.dimensions[name] ?? null])])
    for (const point of series.points) {
      const start = utc(point.start)
      const end = utc(point.end)
      lines.push(csvLine([
        start, end, 'Usage', point.value === null ? '' : String(point.value), series.unit,
        ...focusDimensions, series.metric, point.state, ...extras, rowId(identity, start, end)
      ]))
    }
  }
  return csvDocument(lines)
}

/**
 * The same bucket of the same series has the same id in every run and whichever sources answered: the series'
 * metric and grouped dimension values with the bucket's UTC start and end, hashed. A re-import can upsert by it.
 */
function rowId (seriesIdentity: string, start: string, end: string): string {
  return createHash('sha256').update(`${seriesIdentity}\n${start}\n${end}`).digest('hex').slice(0, ROW_ID_LENGTH)
}

/** RFC 3339 instants of the answer (in the query's zone) as UTC with `Z`; each distinct instant converted once. */
function utcFormatter (): (instant: string) => string {
  const converted = new Map<string, string>()
  return instant => {
    let text = converted.get(instant)
    if (text === undefined) {
      text = formatInstant(Date.parse(instant), 'UTC')
      converted.set(instant, text)
    }
    return text
  }
}
