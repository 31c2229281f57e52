/** GET /usage: the provider-neutral usage answer, as JSON or CSV. */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Clock } from '../clock.js'
import { UsageError, type ErrorDetails } from '../errors.js'
import { errorResponseSchema } from '../schemas/error-schema.js'
import { usageQuerySchemaFor } from '../schemas/usage-query-schema.js'
import { usageResponseSchema, type UsageResponse } from '../schemas/usage-response-schema.js'
import { AnswerMemo, type RenderedAnswer } from '../usage/answer-memo.js'
import type { Catalog } from '../usage/catalog.js'
import { toCsv, toJsonResponse } from '../usage/format-answer.js'
import type { QueryLimits } from '../usage/query-limits.js'
import { runUsageQuery } from '../usage/run-usage-query.js'
import { countAnswer, type UsageMetrics } from '../observability/usage-metrics.js'
import type { SecretRedactor } from '../security/secret-redactor.js'
import type { RuntimeSource } from '../usage/source-executor.js'

export interface UsageRouteOptions {
  catalog: Catalog
  sources: readonly RuntimeSource[]
  clock: Clock
  maxBuckets: number
  requestTimeoutMs: number
  limits: Partial<QueryLimits>
  redactor: SecretRedactor
  metrics?: UsageMetrics
}

/** Rendered answers of the current second; small, since only repeated queries benefit. */
const ANSWER_MEMO_BYTES = 64 * 1024 * 1024

export const usageRoute: FastifyPluginAsync<UsageRouteOptions> = async (app, options) => {
  const memo = new AnswerMemo(ANSWER_MEMO_BYTES)
  app.withTypeProvider<ZodTypeProvider>().get('/usage', {
    schema: {
      tags: ['usage'],
      summary: 'Usage per hour, day or month across every configured source',
      description: 'Buckets are widened to whole hours/days/months in tz. A source contributes only where each bucket is an exact union of its native buckets; otherwise it is reported unaligned. Values are exact integers in seconds or counts.',
      querystring: usageQuerySchemaFor(options.catalog),
      response: {
        200: usageResponseSchema.describe('JSON answer; with format=csv, text/csv with one row per point: start,end,metric,unit,<groupBy columns>,value,state.'),
        400: errorResponseSchema,
        401: errorResponseSchema,
        502: errorResponseSchema,
        504: errorResponseSchema
      }
    }
  }, async (request, reply) => {
    const query = request.query
    const format = wantsCsv(query.format, request.headers.accept) ? 'csv' : 'json'
    const { timeoutMs: _deadline, ...asked } = query
    const memoKey = AnswerMemo.keyOf(asked, format, options.clock.now())
    const memoized = memo.get(memoKey)
    if (memoized) return send(reply, memoized)

    const timeoutMs = query.timeoutMs ?? options.requestTimeoutMs
    const deadline = AbortSignal.timeout(timeoutMs)
    const deadlineAt = performance.now() + timeoutMs
    const answer = await runUsageQuery(query, {
      sources: options.sources,
      clock: options.clock,
      signal: deadline,
      deadlineAt,
      maxBuckets: options.maxBuckets,
      limits: options.limits,
      redactor: options.redactor
    })
    const response = toJsonResponse(answer, query, answer.now, options.catalog)
    if (deadline.aborted && !answer.complete) {
      throw new UsageError('DEADLINE_EXCEEDED', `the deadline of ${timeoutMs / 1000} s passed before every upstream call finished; ` +
        'sources[] says what was and was not obtained: retry, narrow the range, or raise timeout', {
        details: sourceDetails(response)
      })
    }
    if (query.strict) {
      const failing = response.sources.filter(source => source.status !== 'ok')
      if (failing.length > 0 || !response.complete) {
        throw new UsageError('SOURCE_FAILED', `strict=true and ${failing.map(source => `'${source.id}' is ${source.status}`).join(', ') || 'some points are incomplete'}`, {
          details: sourceDetails(response)
        })
      }
    }
    countAnswer(options.metrics, response.complete ? 'complete' : 'incomplete')
    // Serialized here rather than by the schema's serializer: the bytes are what the memo keeps, and tests check
    // answers against the documented schema.
    const rendered: RenderedAnswer = {
      body: format === 'csv' ? toCsv(response, query.groupBy) : JSON.stringify(response),
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      headers: response.cacheAgeSeconds === null ? {} : { 'x-usage-cache-age': String(response.cacheAgeSeconds) }
    }
    memo.set(AnswerMemo.keyOf(asked, format, answer.now), answer, rendered)
    return send(reply, rendered)
  })
}

function send (reply: FastifyReply, rendered: RenderedAnswer): FastifyReply {
  const body: unknown = rendered.body
  return reply.headers(rendered.headers).type(rendered.contentType).serializer((payload: unknown) => String(payload)).send(body as never)
}

/** A failed answer's details: each selected source's entry of sources[], named by `source` like every source detail. */
function sourceDetails (response: UsageResponse): ErrorDetails {
  return response.sources.map(report => ({ source: report.id, ...report }))
}

function wantsCsv (format: 'json' | 'csv' | null, accept: string | undefined): boolean {
  if (format !== null) return format === 'csv'
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept)
}
