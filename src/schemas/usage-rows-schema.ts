/**
 * GET /usage?format=rows: the answer as flat JSON records, documented in OpenAPI as its own named schema so a
 * generated client sees it, and checked against real rows answers in tests.
 */
import { z } from 'zod'
import { pointSchema, seriesSchema } from './usage-response-schema.js'

export const usageRowSchema = z.object({
  start: pointSchema.shape.start,
  end: pointSchema.shape.end,
  metric: seriesSchema.shape.metric,
  unit: seriesSchema.shape.unit,
  value: pointSchema.shape.value,
  state: pointSchema.shape.state
  // The dimension keys are strings or null (tests check it), but typed `unknown` here: a client generator intersects the
  // listed keys with the type of the others, and `string | null` there would make `value` a `null`.
}).catchall(z.unknown()).describe(
  'One point of one series. Besides the keys listed, one key per groupBy dimension (in groupBy order, between unit and value), ' +
  'with the series\' value of that dimension (a string), or null when the series has none. Completeness and warnings are in the ' +
  'X-Usage-Complete and X-Usage-Warnings headers.'
).meta({ id: 'UsageRow' })

export const usageRowsSchema = z.array(usageRowSchema).describe(
  'format=rows: every point of every series in the order of the JSON answer, one flat object each, for tools that read records ' +
  '(Grafana Infinity or JSON API, pandas.DataFrame) without transforms.'
).meta({ id: 'UsageRows' })
