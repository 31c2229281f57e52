import { UNITS } from '../usage/source-adapter.js'
/** GET /usage JSON answer, documented in OpenAPI and checked against real answers in tests. */
import { z } from 'zod'
import type { UsageResponse } from '../usage/usage-response.js'
import { WARNING_TYPES } from '../usage/usage-query.js'

/**
 * Documented as `format: date-time` (RFC 3339) and checked as such wherever tests read answers. zod would also write
 * its date-time regular expression into the document: `pattern` is dropped there, the format says it.
 */
const instant = z.iso.datetime({ offset: true }).meta({ pattern: undefined }).describe('RFC 3339 with the offset of tz at that instant.')

export const pointSchema = z.object({
  start: instant,
  end: instant,
  value: z.number().int().nullable().describe('0 is a zero the provider reported; null means no source could deliver this bucket.'),
  state: z.enum(['final', 'provisional', 'incomplete']).describe(
    'final: settled. provisional: inside the provider data delay, or not over yet. incomplete: a source feeding this series failed or was left out for this bucket; value is what was obtained.')
}).meta({ id: 'UsagePoint' })

export const seriesSchema = z.object({
  metric: z.string(),
  unit: z.enum(UNITS),
  dimensions: z.record(z.string(), z.string().nullable()).describe('The groupBy dimensions; null where the usage has no such dimension.'),
  points: z.array(pointSchema).describe('Every bucket of the effective range, in order.'),
  total: z.number().int().nullable().describe(
    'The exact sum of the points, only when every point has a value and none is incomplete; otherwise null (never the sum of an incomplete series).'),
  partialTotal: z.number().int().nullable().describe(
    'The exact sum of the values obtained, whatever their state (equal to total when total is not null); null when no point has a value.')
}).meta({ id: 'UsageSeries' })

export const sourceReportSchema = z.object({
  id: z.string(),
  kind: z.string(),
  provider: z.string(),
  account: z.string().nullable().describe('The provider\'s account id, as configured for the source; null when unknown.'),
  status: z.enum(['ok', 'partial', 'failed', 'unaligned', 'out_of_range']),
  calls: z.number().int().describe('Upstream calls made for this answer (retries not counted separately).'),
  cachedCalls: z.number().int().describe('Upstream answers reused from the cache instead of calling.'),
  ledgerBuckets: z.number().int().describe('Native buckets answered from the usage ledger instead of calling (counted per upstream call variant).'),
  simulated: z.boolean().describe('True when the source is one of this service\'s simulated providers.'),
  error: z.object({
    code: z.string(),
    message: z.string(),
    providerCode: z.string().nullable(),
    requestId: z.string().nullable()
  }).nullable(),
  outOfRange: z.object({ from: instant, to: instant }).nullable().describe('The part of the range older than the source\'s lookback.')
}).meta({ id: 'SourceReport' })

export const warningSchema = z.object({
  type: z.enum(WARNING_TYPES).describe('ledger_unavailable: the usage ledger could not be read or written, the answer comes from the providers (with asOf: its buckets are null). ' +
    'restated: the message names buckets whose settled value the provider changed after it was first final (the answer has the latest). ' +
    'not_in_ledger: with asOf, buckets the ledger did not hold at that instant are null.'),
  source: z.string().nullable(),
  message: z.string(),
  suggestedZones: z.array(z.string()).optional()
}).meta({ id: 'UsageWarning' })

export const usageResponseSchema = z.object({
  from: instant.describe('Effective start (widened to a bucket start).'),
  to: instant.describe('Effective end (widened to a bucket end).'),
  granularity: z.enum(['hour', 'day', 'month']),
  tz: z.string(),
  complete: z.boolean().describe('True only if every point is final or provisional and every selected source is ok.'),
  final: z.boolean().describe('True only if the answer is complete, every bucket of the range is past every selected source\'s data delay, and every point of every series is final: settled numbers that will not change (safe to invoice). An answer with no series is final only when its range is settled.'),
  series: z.array(seriesSchema),
  sources: z.array(sourceReportSchema),
  warnings: z.array(warningSchema),
  cacheAgeSeconds: z.number().int().nullable().describe('Age of the oldest cached upstream answer used; null when every part was fetched for this request. Also in the X-Usage-Cache-Age header.')
}).meta({ id: 'UsageResponse' })

/**
 * The schema documents what the core formats (UsageResponse in src/usage/usage-response.ts): if either changes
 * without the other, this line stops the build.
 */
export const SCHEMA_MATCHES_CORE_TYPES: SameType<z.infer<typeof usageResponseSchema>, UsageResponse> = true

/** true only when A and B are the same type, optional and nullable fields included. */
type SameType<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
