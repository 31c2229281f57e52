/** GET /usage: the provider-neutral usage answer, as JSON, CSV, flat rows or FOCUS CSV; `app.usageService` makes it. */
import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { errorResponses, EVERY_ROUTE_ERRORS } from '../schemas/response-documents.js'
import { usageQuerySchemaFor, type QueryDefaults } from '../schemas/usage-query-schema.js'
import { usageResponseSchema } from '../schemas/usage-response-schema.js'
import { usageRowsSchema } from '../schemas/usage-rows-schema.js'
import type { Clock } from '../clock.js'
import type { Catalog } from '../usage/catalog.js'
import { matchesIfNoneMatch } from '../http/conditional-request.js'

const CSV_ANSWER = z.string().describe([
  'RFC 4180: CRLF line ends, a header row, then one row per point. A cell starting with `=`, `+`, `-`, `@`, TAB or CR is prefixed with `\'` and quoted, so spreadsheets read it as text.',
  '',
  '**`format=csv`** (or `Accept: text/csv` without `format`): `start,end,metric,unit,<groupBy columns>,value,state`',
  '',
  '- `start`, `end`: RFC 3339 with the offset of `tz`;',
  '- a groupBy column is empty where the series has no value for that dimension;',
  '- `value`: an integer, or empty where no source could deliver the bucket.',
  '',
  '**`format=focus`**: FinOps FOCUS column names where one applies, then `x_` columns:',
  '`ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ConsumedQuantity,ConsumedUnit,ProviderName,ServiceName,RegionId,ResourceId,SubAccountId,x_Metric,x_State,x_<Dimension>…,x_RowId`',
  '',
  '- `ChargePeriodStart`, `ChargePeriodEnd`: UTC (`…Z`); `ChargeCategory` is always `Usage`;',
  '- `ConsumedQuantity`: the value, empty where there is none (`x_State` says why); `ConsumedUnit`: the series\' unit;',
  '- `ProviderName`, `ServiceName`, `RegionId`, `ResourceId` (instance), `SubAccountId` (account): filled when the query groups by that dimension;',
  '- `x_<Dimension>`: every other grouped dimension; `x_RowId`: a stable id of the series and bucket, the same in every run.',
  '',
  'Both carry `X-Usage-Complete` and `X-Usage-Warnings` headers and a `Content-Disposition` attachment filename. No cost columns: the providers report usage, not cost.'
].join('\n'))

/** format=json answers UsageResponse, format=rows UsageRows: both application/json, told apart by the format asked for. */
const JSON_ANSWER = z.union([usageResponseSchema, usageRowsSchema]).describe(
  'UsageResponse for format=json (the default); UsageRows (an array) for format=rows.'
)

export const usageRoute: FastifyPluginAsync<{ catalog: Catalog, clock: Clock, queryDefaults: QueryDefaults }> = async (app, options) => {
  app.withTypeProvider<ZodTypeProvider>().get('/usage', {
    schema: {
      tags: ['usage'],
      operationId: 'getUsage',
      summary: 'Usage per hour, day or month across every configured source',
      description: 'Buckets are widened to whole hours/days/months in tz. A source contributes only where each bucket is an exact union of its native buckets; otherwise it is reported unaligned. Values are exact integers in seconds or counts.',
      querystring: usageQuerySchemaFor({ catalog: options.catalog, clock: options.clock, defaults: options.queryDefaults }),
      response: {
        200: {
          description: 'The answer in the format asked for. `application/json`: `UsageResponse` for `format=json` (the default), ' +
            '`UsageRows` for `format=rows` (an array, one flat object per point). `text/csv`: `format=csv` (or `Accept: text/csv` without `format`) ' +
            'and `format=focus` (FinOps FOCUS columns). csv, rows and focus carry X-Usage-Complete and X-Usage-Warnings headers; ' +
            'csv and focus a Content-Disposition attachment filename.',
          content: {
            'application/json': { schema: JSON_ANSWER },
            'text/csv': { schema: CSV_ANSWER }
          }
        },
        304: z.null().meta({ type: 'null', description: 'Not modified: If-None-Match named the current ETag of this answer (a weak tag naming its data; copies that differ only in sources[].calls, cachedCalls and cacheAgeSeconds share it). The headers of the answer (ETag, Cache-Control), no body.' }),
        ...errorResponses([...EVERY_ROUTE_ERRORS, 'INVALID_QUERY', 'UNALIGNED_QUERY', 'QUERY_TOO_LARGE', 'NO_SOURCES', 'UNAUTHORIZED',
          'VALUE_TOO_LARGE', 'SOURCE_FAILED', 'DEADLINE_EXCEEDED'])
      }
    }
  }, async (request, reply) => {
    const format = request.query.format ?? (acceptsCsv(request.headers.accept) ? 'csv' : 'json')
    const rendered = await app.usageService.answer(request.query, { format })
    const entityTag = rendered.headers.etag
    // Not modified: the headers without a body (no payload at all, so no Content-Length of a serialized null).
    if (entityTag !== undefined && matchesIfNoneMatch(request.headers['if-none-match'], entityTag)) return reply.code(304).headers(rendered.headers).send(undefined as never)
    // Already serialized (the service keeps the bytes): sent as they are, not through the schema's serializer.
    const body: unknown = rendered.body
    return reply.headers(rendered.headers).type(rendered.contentType).serializer((payload: unknown) => String(payload)).send(body as never)
  })
}

/** Without a format parameter, Accept: text/csv (and not JSON) asks for CSV. */
function acceptsCsv (accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept)
}
