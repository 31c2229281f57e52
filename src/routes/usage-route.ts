/** GET /usage: the provider-neutral usage answer, as JSON or CSV; `app.usageService` makes it. */
import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { errorResponseSchema } from '../schemas/error-schema.js'
import { usageQuerySchemaFor, type QueryDefaults } from '../schemas/usage-query-schema.js'
import { usageResponseSchema } from '../schemas/usage-response-schema.js'
import type { Clock } from '../clock.js'
import type { Catalog } from '../usage/catalog.js'
import { matchesIfNoneMatch } from '../http/conditional-request.js'

export const usageRoute: FastifyPluginAsync<{ catalog: Catalog, clock: Clock, queryDefaults: QueryDefaults }> = async (app, options) => {
  app.withTypeProvider<ZodTypeProvider>().get('/usage', {
    schema: {
      tags: ['usage'],
      summary: 'Usage per hour, day or month across every configured source',
      description: 'Buckets are widened to whole hours/days/months in tz. A source contributes only where each bucket is an exact union of its native buckets; otherwise it is reported unaligned. Values are exact integers in seconds or counts.',
      querystring: usageQuerySchemaFor({ catalog: options.catalog, clock: options.clock, defaults: options.queryDefaults }),
      response: {
        200: usageResponseSchema.describe('JSON answer; with format=csv, text/csv with one row per point: start,end,metric,unit,<groupBy columns>,value,state.'),
        304: z.null().meta({ type: 'null', description: 'Not modified: If-None-Match named the current ETag of this answer. The headers of the answer (ETag, Cache-Control), no body.' }),
        400: errorResponseSchema,
        401: errorResponseSchema,
        502: errorResponseSchema,
        504: errorResponseSchema
      }
    }
  }, async (request, reply) => {
    const format = wantsCsv(request.query.format, request.headers.accept) ? 'csv' : 'json'
    const rendered = await app.usageService.answer(request.query, { format })
    const entityTag = rendered.headers.etag
    // Not modified: the headers without a body (no payload at all, so no Content-Length of a serialized null).
    if (entityTag !== undefined && matchesIfNoneMatch(request.headers['if-none-match'], entityTag)) return reply.code(304).headers(rendered.headers).send(undefined as never)
    // Already serialized (the service keeps the bytes): sent as they are, not through the schema's serializer.
    const body: unknown = rendered.body
    return reply.headers(rendered.headers).type(rendered.contentType).serializer((payload: unknown) => String(payload)).send(body as never)
  })
}

function wantsCsv (format: 'json' | 'csv' | null, accept: string | undefined): boolean {
  if (format !== null) return format === 'csv'
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept)
}
