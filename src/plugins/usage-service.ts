/**
 * The usage service on the app (`app.usageService`): runs a query within its deadline, refuses an answer that
 * may not be sent (strict: a source failed, or the deadline passed; without strict a late answer is sent with
 * what was obtained), renders it in the format asked for with its ETag and Cache-Control, and serves the rendered copy again for
 * the rest of its second while every upstream part is still the same cache entry. Routes only speak HTTP.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Clock } from '../clock.js'
import type { ParsedUsageQuery } from '../schemas/usage-query-schema.js'
import type { SecretRedactor } from '../security/secret-redactor.js'
import { countAnswer, type UsageMetrics } from '../observability/usage-metrics.js'
import { AnswerMemo, type RenderedAnswer } from '../usage/answer-memo.js'
import { cachingHeadersOf } from '../usage/answer-caching.js'
import type { Catalog } from '../usage/catalog.js'
import { checkVerdict } from '../usage/answer-verdict.js'
import { renderAnswer, type AnswerFormat } from '../usage/answer-formats.js'
import { toJsonResponse } from '../usage/format-answer.js'
import type { QueryLimits } from '../usage/query-limits.js'
import { runUsageQuery } from '../usage/run-usage-query.js'
import type { RuntimeSource } from '../usage/source-executor.js'
import type { UsageLedger } from '../usage/source-ledger.js'

export type { AnswerFormat }

export interface UsageService {
  /** The rendered answer to a query; a UsageError when there is none to send. */
  answer (query: ParsedUsageQuery, options: { format: AnswerFormat }): Promise<RenderedAnswer>
}

export interface UsageServiceOptions {
  catalog: Catalog
  /** Counts answers by completeness; none in tests that do not look. */
  metrics?: UsageMetrics
  sources: readonly RuntimeSource[]
  clock: Clock
  /** The deadline of a query that names none. */
  requestTimeoutMs: number
  limits: Partial<QueryLimits>
  redactor: SecretRedactor
  /** Read before any upstream call, written after; none when the deployment keeps no ledger. */
  ledger?: UsageLedger | null
}

declare module 'fastify' {
  interface FastifyInstance {
    usageService: UsageService
  }
}

/** Rendered answers of the current second; small, since only repeated queries benefit. */
const ANSWER_MEMO_BYTES = 64 * 1024 * 1024

export function createUsageService (options: UsageServiceOptions): UsageService {
  const executors = new Map(options.sources.map(source => [source.config.id, source.executor]))
  const memo = new AnswerMemo(ANSWER_MEMO_BYTES, part => executors.get(part.source)?.cachedAt(part.key) ?? null)
  return {
    async answer (query, { format }) {
      const { timeoutMs: _deadline, ...asked } = query
      const memoized = memo.get(AnswerMemo.keyOf(asked, format, options.clock.now()))
      if (memoized) {
        countAnswer(options.metrics, memoized.complete ? 'complete' : 'incomplete')
        return memoized
      }

      const timeoutMs = query.timeoutMs ?? options.requestTimeoutMs
      const answer = await runUsageQuery(query, {
        sources: options.sources,
        clock: options.clock,
        signal: AbortSignal.timeout(timeoutMs),
        deadlineAt: performance.now() + timeoutMs,
        limits: options.limits,
        redactor: options.redactor,
        ledger: options.ledger ?? null
      })
      checkVerdict(answer, query, timeoutMs)
      const response = toJsonResponse(answer, query, answer.now, options.catalog)
      countAnswer(options.metrics, response.complete ? 'complete' : 'incomplete')
      // Serialized here rather than by the route's schema serializer: the bytes are what the memo keeps, and tests
      // check answers against the documented schema.
      const rendered: RenderedAnswer = renderAnswer(format, response, query)
      Object.assign(rendered.headers, cachingHeadersOf(format, response, query, rendered))
      memo.set(AnswerMemo.keyOf(asked, format, answer.now), answer.upstream, rendered)
      return rendered
    }
  }
}

export const usageServicePlugin = fp<UsageServiceOptions>(async (app: FastifyInstance, options) => {
  app.decorate('usageService', createUsageService(options))
}, { name: 'usage-service' })
