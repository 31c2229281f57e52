/**
 * What every adapter does with a provider's answer once the call returned: read the body as JSON, check it against
 * the API's schema, convert it. A body that is not JSON, does not fit the schema, or that the converter refuses is
 * UPSTREAM_MALFORMED, and carries the provider's request id so that the failure can be traced at the provider.
 */
import type { z } from 'zod'
import { UpstreamError, type UpstreamErrorCode } from '../../errors.js'

/** The parsed body, or undefined for text that is not JSON (the caller says what that means for its API). */
export function safeJson (text: string): unknown {
  try { return JSON.parse(text) } catch { return undefined }
}

export interface ProviderAnswer {
  /** The API, as messages name it, e.g. the action. */
  api: string
  requestId: string | null
}

/** The body as the schema reads it, or UPSTREAM_MALFORMED naming where it does not fit. */
export function parseAnswer<Schema extends z.ZodType> (schema: Schema, body: unknown, answer: ProviderAnswer): z.output<Schema> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const path = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`
  throw new UpstreamError('UPSTREAM_MALFORMED', `${answer.api} answer does not match its schema${path}: ${issue?.message ?? ''}`, {
    requestId: answer.requestId
  })
}

/** Runs a converter; a refusal (UPSTREAM_MALFORMED from the exactness checks) gains the answer's request id. */
export function convertAnswer<Result> (answer: ProviderAnswer, convert: () => Result): Result {
  try {
    return convert()
  } catch (error) {
    if (error instanceof UpstreamError && error.requestId === null && answer.requestId !== null) {
      throw new UpstreamError(error.code as UpstreamErrorCode, error.message, {
        providerCode: error.providerCode, requestId: answer.requestId, httpStatus: error.httpStatus, retryAfterMs: error.retryAfterMs, cause: error
      })
    }
    throw error
  }
}
