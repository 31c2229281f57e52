import { UNITS } from '../usage/source-adapter.js'
import { z } from 'zod'

const metricSourceSchema = z.object({
  kind: z.string(),
  providerFields: z.array(z.string()),
  dimensions: z.array(z.string()),
  conversion: z.string(),
  coverage: z.string().describe('What an answer lacking something means for this metric: what is refused, what reads 0, what the source settings leave out.')
}).meta({ id: 'CatalogMetricSource' })

const metricSchema = z.object({
  name: z.string(),
  unit: z.enum(UNITS),
  description: z.string(),
  reportedBy: z.array(metricSourceSchema)
}).meta({ id: 'CatalogMetric' })

const dimensionSchema = z.object({ name: z.string(), description: z.string() }).meta({ id: 'CatalogDimension' })

const kindSchema = z.object({
  kind: z.string(),
  provider: z.string(),
  title: z.string(),
  nativeBuckets: z.string().describe('The buckets the API reports, e.g. "hour (UTC)", or "any range" for totals.'),
  maxSpanSeconds: z.number().int(),
  minSpanSeconds: z.number().int(),
  lookbackDays: z.number(),
  defaultQps: z.number(),
  settleDelaySeconds: z.number().int(),
  filterDimensions: z.array(z.string())
}).meta({ id: 'CatalogSourceKind' })

const sourceSchema = z.object({
  id: z.string(),
  kind: z.string(),
  provider: z.string(),
  endpoint: z.string().describe('Host the source calls (no credentials, no path).'),
  qps: z.number(),
  concurrency: z.number().int(),
  simulated: z.boolean()
}).meta({ id: 'CatalogSource' })

export const catalogResponseSchema = z.object({
  metrics: z.array(metricSchema),
  dimensions: z.array(dimensionSchema),
  kinds: z.array(kindSchema),
  sources: z.array(sourceSchema)
}).meta({ id: 'Catalog', description: 'What can be asked for (metrics, dimensions, source kinds) and the configured sources.' })

export type CatalogResponse = z.infer<typeof catalogResponseSchema>
