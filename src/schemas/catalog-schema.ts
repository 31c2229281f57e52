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
  simulated: z.boolean(),
  ledger: z.object({
    oldestSettledBucket: z.string().nullable().describe('Start (RFC 3339, UTC) of the oldest settled native bucket the ledger holds; null when it holds none.'),
    newestSettledBucket: z.string().nullable().describe('Start (RFC 3339, UTC) of the newest settled native bucket the ledger holds; null when it holds none.'),
    buckets: z.number().int().describe('Settled native buckets held, over every call variant.'),
    restatedBuckets: z.number().int().describe('Buckets the provider restated after they were first final.'),
    lastSyncAt: z.string().nullable().describe('When the background sync last finished for this source; null when it never has.'),
    lastSyncError: z.string().nullable().describe('The last sync error, if any (it may be older than lastSyncAt).'),
    lastSyncErrorAt: z.string().nullable()
  }).nullable().describe('What the usage ledger holds for this source; null when the deployment keeps no ledger or it cannot be read now (see ledger.status).')
}).meta({ id: 'CatalogSource' })

const ledgerStateSchema = z.object({
  status: z.enum(['off', 'connected', 'unavailable']).describe('off: no usage ledger is kept (USAGE_STORE_URL not in use).'),
  reason: z.string().nullable().describe('Why it is unavailable; null otherwise.')
}).meta({ id: 'CatalogLedger' })

export const catalogResponseSchema = z.object({
  metrics: z.array(metricSchema),
  dimensions: z.array(dimensionSchema),
  kinds: z.array(kindSchema),
  sources: z.array(sourceSchema),
  ledger: ledgerStateSchema
}).meta({ id: 'Catalog', description: 'What can be asked for (metrics, dimensions, source kinds) and the configured sources.' })

export type CatalogResponse = z.infer<typeof catalogResponseSchema>
