/** GET /usage: the provider-neutral usage answer, as JSON, CSV, flat rows or FOCUS CSV; `app.usageService` makes it. */
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { errorResponseSchema } from '../schemas/error-schema.js'
import { usageQuerySchemaFor, type QueryDefaults } from '../schemas/usage-query-schema.js'
import { usageResponseSchema } from '../schemas/usage-response-schema.js'
import type { Clock } from '../clock.js'
import type { Catalog } from '../usage/catalog.js'

export const usageRoute: FastifyPluginAsync<{ catalog: Catalog, clock: Clock, queryDefaults: QueryDefaults }> = async (app, options) => {
  app.withTypeProvider<ZodTypeProvider>().get('/usage', {
    schema: {
      tags: ['usage'],
      summary: 'Usage per hour, day or month across every configured source',
      description: 'Buckets are widened to whole hours/days/months in tz. A source contributes only where each bucket is an exact union of its native buckets; otherwise it is reported unaligned. Values are exact integers in seconds or counts.',
      querystring: usageQuerySchemaFor({ catalog: options.catalog, clock: options.clock, defaults: options.queryDefaults }),
      response: {
        200: usageResponseSchema.describe('JSON answer. format=csv: text/csv, one row per point: start,end,metric,unit,<groupBy columns>,value,state. format=rows: a JSON array, one object per point with the same keys. format=focus: text/csv with FinOps FOCUS columns (ChargePeriodStart, ChargePeriodEnd, ChargeCategory, ConsumedQuantity, ConsumedUnit, ProviderName, ServiceName, RegionId, ResourceId, SubAccountId) then x_Metric, x_State, x_<Dimension> and x_RowId. csv, rows and focus carry X-Usage-Complete and X-Usage-Warnings headers; csv and focus a Content-Disposition attachment filename.'),
        400: errorResponseSchema,
        401: errorResponseSchema,
        502: errorResponseSchema,
        504: errorResponseSchema
      }
    }
  }, async (request, reply) => {
    const format = request.query.format ?? (acceptsCsv(request.headers.accept) ? 'csv' : 'json')
    const rendered = await app.usageService.answer(request.query, { format })
    // Already serialized (the service keeps the bytes): sent as they are, not through the schema's serializer.
    const body: unknown = rendered.body
    return reply.headers(rendered.headers).type(rendered.contentType).serializer((payload: unknown) => String(payload)).send(body as never)
  })
}

/** Without a format parameter, Accept: text/csv (and not JSON) asks for CSV. */
function acceptsCsv (accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept)
}
