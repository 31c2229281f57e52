/**
 * Upstream answers and failures as other replicas read them back from Redis. What comes back must be exactly
 * what the provider reported, so every value is checked on the way in and out: integers must be safe
 * integers (JSON keeps those exact), and a payload that does not read back exactly is treated as absent,
 * never repaired.
 */
import { z } from 'zod'
import { ERROR_CODES, UpstreamError, type UpstreamErrorCode } from '../errors.js'
import type { FetchResult } from '../usage/source-adapter.js'

const safeInteger = z.number().refine(Number.isSafeInteger, 'expected a safe integer')

const fetchResultSchema = z.strictObject({
  records: z.array(z.strictObject({
    metric: z.string(),
    start: safeInteger,
    end: safeInteger,
    value: safeInteger,
    dimensions: z.record(z.string(), z.string())
  })),
  requestId: z.string().nullable()
})

const upstreamCodes = Object.keys(ERROR_CODES).filter(code => code.startsWith('UPSTREAM_')) as [UpstreamErrorCode, ...UpstreamErrorCode[]]

const upstreamFailureSchema = z.strictObject({
  code: z.enum(upstreamCodes),
  message: z.string(),
  providerCode: z.string().nullable(),
  requestId: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  retryAfterMs: z.number().nullable(),
  retryable: z.boolean()
})

const outcomeSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), result: fetchResultSchema }),
  z.strictObject({ ok: z.literal(false), error: upstreamFailureSchema })
])

const cachedSchema = z.strictObject({ storedAt: safeInteger, result: fetchResultSchema })

/** Throws on a value that could not be read back exactly: a bug upstream of here, not something to store. */
function checkedResult (result: FetchResult): FetchResult {
  const parsed = fetchResultSchema.safeParse(result)
  if (!parsed.success) throw new RangeError(`an upstream result that cannot be shared exactly: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}

function parseJson (payload: string): unknown {
  try {
    return JSON.parse(payload)
  } catch {
    return undefined
  }
}

export type CallOutcome = { ok: true, result: FetchResult } | { ok: false, error: UpstreamError }

export function encodeOutcome (outcome: CallOutcome): string {
  if (outcome.ok) return JSON.stringify({ ok: true, result: checkedResult(outcome.result) })
  const { code, message, providerCode, requestId, httpStatus, retryAfterMs, retryable } = outcome.error
  return JSON.stringify({ ok: false, error: { code, message, providerCode, requestId, httpStatus, retryAfterMs, retryable } })
}

/** The outcome, or undefined when the payload is not one this code wrote. */
export function decodeOutcome (payload: string): CallOutcome | undefined {
  const parsed = outcomeSchema.safeParse(parseJson(payload))
  if (!parsed.success) return undefined
  if (parsed.data.ok) return { ok: true, result: parsed.data.result }
  const { code, message, retryable, ...options } = parsed.data.error
  const error = new UpstreamError(code, message, options)
  // The flag travels as the leader saw it, even if this replica's code classifies the code differently.
  if (error.retryable !== retryable) Object.defineProperty(error, 'retryable', { value: retryable })
  return { ok: false, error }
}

export function encodeCached (result: FetchResult, storedAt: number): string {
  return JSON.stringify({ storedAt, result: checkedResult(result) })
}

export function decodeCached (payload: string): { result: FetchResult, storedAt: number } | undefined {
  const parsed = cachedSchema.safeParse(parseJson(payload))
  return parsed.success ? parsed.data : undefined
}
