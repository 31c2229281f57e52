// Provider facts: docs/providers/README.md#alibaba-gateway
/**
 * Alibaba POP gateway errors: a 4xx/5xx JSON body {RequestId, HostId, Code, Message, Recommend}.
 * Statuses differ between product pages, so classification keys off Code first, status second.
 */
import { z } from 'zod'
import { UpstreamError, type UpstreamErrorCode } from '../../errors.js'
import { safeJson } from '../utils/provider-answer.js'

const aliyunErrorBodySchema = z.object({
  RequestId: z.string().nullish(),
  Code: z.string().nullish(),
  Message: z.string().nullish()
})

const AUTH_CODE = /^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|InvalidSignatureMethod|SignatureNonceUsed|InvalidTimeStamp|IllegalTimestamp|Forbidden|InvalidSecurityToken|MissingSecurityToken|NoPermission|Meter\.AuthError)/
const SERVER_CODE = /^(InternalError|ServiceUnavailable|ServiceUnAvailable|Meter\.ServerInternalError|Meter\.ReadyTsError|Meter\.Data)/

export function classifyAliyunCode (code: string, httpStatus: number): UpstreamErrorCode {
  if (code.startsWith('Throttling')) return 'UPSTREAM_THROTTLED'
  if (AUTH_CODE.test(code)) return 'UPSTREAM_AUTH'
  if (SERVER_CODE.test(code)) return 'UPSTREAM_SERVER'
  if (httpStatus >= 500) return 'UPSTREAM_SERVER'
  return 'UPSTREAM_PARAMETER'
}

/** Maps a non-2xx Alibaba answer to a typed error carrying the provider's code and request id. */
export function aliyunErrorFromResponse (response: { status: number, headers: Record<string, string>, body: string }): UpstreamError {
  const retryAfterMs = parseRetryAfter(response.headers['x-acs-retry-after'])
  const parsed = aliyunErrorBodySchema.safeParse(safeJson(response.body) ?? stringFieldsOfCutJson(response.body))
  const body = parsed.success ? parsed.data : {}
  const providerCode = body.Code ?? null
  const code: UpstreamErrorCode = providerCode
    ? classifyAliyunCode(providerCode, response.status)
    : response.status === 429 ? 'UPSTREAM_THROTTLED' : response.status >= 500 ? 'UPSTREAM_SERVER' : 'UPSTREAM_PARAMETER'
  const message = providerCode
    ? `${providerCode}: ${body.Message ?? 'no message'}`
    : `HTTP ${response.status} without an Alibaba error body`
  return new UpstreamError(retryAfterMs !== null ? 'UPSTREAM_THROTTLED' : code, message, {
    providerCode,
    requestId: body.RequestId ?? response.headers['x-acs-request-id'] ?? null,
    httpStatus: response.status,
    retryAfterMs
  })
}

/** x-acs-retry-after is a positive integer of milliseconds. */
function parseRetryAfter (value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,9}$/.test(value.trim())) return null
  const milliseconds = Number(value)
  return milliseconds > 0 ? milliseconds : null
}

/**
 * The string fields of a JSON object whose text was cut short: an error body past the size the transport reads
 * (a megabytes-long Message) still names its Code and RequestId before the cut, and the Message's start is kept.
 */
function stringFieldsOfCutJson (text: string): Record<string, string> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined
  const fields: Record<string, string> = {}
  // A complete "Name":"value" pair, or the last value, open where the text was cut.
  for (const match of text.matchAll(/"(\w+)"\s*:\s*"((?:[^"\\]|\\.)*)(?:"|\\?$)/g)) {
    const value = jsonStringValue(match[2]!)
    if (value !== undefined) fields[match[1]!] ??= value
  }
  return fields
}

/** The value of a JSON string's inside; an escape cut in the middle at its end is dropped. */
function jsonStringValue (inside: string): string | undefined {
  for (const candidate of [inside, inside.replace(/\\u[0-9a-fA-F]{0,3}$/, '')]) {
    const value = safeJson(`"${candidate}"`)
    if (typeof value === 'string') return value
  }
  return undefined
}
