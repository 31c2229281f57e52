// Provider facts: docs/providers/README.md#tencent-gateway
/**
 * Tencent Cloud API 3.0 errors: business errors arrive with HTTP 200 inside `Response.Error {Code, Message}`
 * beside `Response.RequestId` (docs/providers/README.md#tencent-gateway); a non-200 status comes from something in
 * front of the API.
 * Classification keys off the documented Code, never the message.
 */
import { z } from 'zod'
import { UpstreamError, type UpstreamErrorCode } from '../../errors.js'
import { safeJson } from '../utils/provider-answer.js'

export const tencentErrorSchema = z.object({
  Code: z.string(),
  Message: z.string().nullish()
})

/** `Response` of a Tencent answer, read only as far as the error and request id. */
const tencentEnvelopeSchema = z.object({
  Response: z.object({
    Error: tencentErrorSchema.nullish(),
    RequestId: z.string().nullish()
  })
})

const SERVER_CODES = new Set(['ServiceUnavailable', 'FailedOperation.NetWorkError'])
// Permission refusals are credential problems too, and retrying them cannot help.
const AUTH_CODES = new Set(['FailedOperation.InvalidMpsUser'])

export function classifyTencentCode (code: string): UpstreamErrorCode {
  // RequestLimitExceeded, RequestLimitExceeded.UinLimitExceeded, .IPLimitExceeded, .GlobalRegionUinLimitExceeded.
  if (code.startsWith('RequestLimitExceeded')) return 'UPSTREAM_THROTTLED'
  if (code.startsWith('AuthFailure') || code.startsWith('UnauthorizedOperation') || AUTH_CODES.has(code)) return 'UPSTREAM_AUTH'
  if (code.startsWith('InternalError') || SERVER_CODES.has(code)) return 'UPSTREAM_SERVER'
  // InvalidParameter*, MissingParameter, UnknownParameter and everything else the caller could fix.
  return 'UPSTREAM_PARAMETER'
}

/** The typed error for a `Response.Error` delivered with HTTP 200. */
export function tencentApiError (error: { Code: string, Message?: string | null }, requestId: string | null, httpStatus: number): UpstreamError {
  return new UpstreamError(classifyTencentCode(error.Code), `${error.Code}: ${error.Message ?? 'no message'}`, {
    providerCode: error.Code,
    requestId,
    httpStatus
  })
}

/** A non-200 answer: classified by status, with the Tencent code and request id when the body carries them. */
export function tencentHttpError (response: { status: number, body: string }): UpstreamError {
  const envelope = tencentEnvelopeSchema.safeParse(safeJson(response.body))
  const error = envelope.success ? envelope.data.Response.Error ?? null : null
  const requestId = envelope.success ? envelope.data.Response.RequestId ?? null : null
  const code: UpstreamErrorCode = response.status >= 500
    ? 'UPSTREAM_SERVER'
    : response.status === 429
      ? 'UPSTREAM_THROTTLED'
      : response.status === 401 || response.status === 403
        ? 'UPSTREAM_AUTH'
        : error !== null ? classifyTencentCode(error.Code) : 'UPSTREAM_PARAMETER'
  const message = error !== null
    ? `HTTP ${response.status}: ${error.Code}: ${error.Message ?? 'no message'}`
    : `HTTP ${response.status} without a Tencent Cloud error body`
  return new UpstreamError(code, message, { providerCode: error?.Code ?? null, requestId, httpStatus: response.status })
}
