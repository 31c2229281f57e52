import { MAX_PROVIDER_IDENTIFIER_CHARACTERS, capProviderText } from './security/provider-text.js'

/**
 * The one registry of stable error codes. Callers match on `code`, never on message text.
 * `status` is the HTTP status the service answers with when the error reaches a caller.
 */
export const ERROR_CODES = {
  INVALID_QUERY: { status: 400, description: 'A query parameter is missing, malformed or out of range; details name each one.' },
  UNALIGNED_QUERY: { status: 400, description: 'No selected source can deliver exact buckets for this tz and granularity; details name zones that work.' },
  QUERY_TOO_LARGE: { status: 400, description: 'The query would exceed a configured bound (points, upstream calls, range); the message says how to narrow it.' },
  NO_SOURCES: { status: 400, description: 'The filters select no configured source.' },
  INVALID_REQUEST: { status: 400, description: 'The HTTP request itself is unacceptable (headers, body, method); the message says why.' },
  NOT_FOUND: { status: 404, description: 'No such route.' },
  UNAUTHORIZED: { status: 401, description: 'An API key is required and was missing or wrong.' },
  VALUE_TOO_LARGE: { status: 502, description: 'A sum (bucket or total) would pass 2^53 − 1, the largest integer answered exactly; it is refused, never rounded. The message names metric and bucket.' },
  SOURCE_FAILED: { status: 502, description: 'strict=true and at least one selected source could not deliver all of its part.' },
  SHUTTING_DOWN: { status: 503, description: 'The service is shutting down and takes no new requests; retry, another instance answers.' },
  DEADLINE_EXCEEDED: { status: 504, description: 'strict=true and the request deadline passed before every upstream call finished. Without strict the answer is sent with what was obtained and a deadline_exceeded warning.' },
  INTERNAL: { status: 500, description: 'A bug in this service. Nothing a caller sends should produce it.' },
  CONFIG_INVALID: { status: 500, description: 'A setting is invalid; raised at boot, never served.' },
  UPSTREAM_THROTTLED: { status: 502, description: 'The provider refused the call for rate limiting.' },
  UPSTREAM_AUTH: { status: 502, description: 'The provider refused the credentials or the signature.' },
  UPSTREAM_PARAMETER: { status: 502, description: 'The provider refused a parameter of the call.' },
  UPSTREAM_SERVER: { status: 502, description: 'The provider answered with a server error.' },
  UPSTREAM_NETWORK: { status: 502, description: 'The provider could not be reached, or the connection failed.' },
  UPSTREAM_TIMEOUT: { status: 502, description: 'The provider did not answer in time.' },
  UPSTREAM_MALFORMED: { status: 502, description: 'The provider answered 2xx with a body this service cannot read exactly.' }
} as const satisfies Record<string, { status: number, description: string }>

export type ErrorCode = keyof typeof ERROR_CODES

/** `details` of every error answer: a list of objects, empty when there is nothing more to say than the message. */
export type ErrorDetails = ReadonlyArray<Readonly<Record<string, unknown>>>

export class UsageError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorDetails
  constructor (code: ErrorCode, message: string, options: { details?: ErrorDetails, cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'UsageError'
    this.code = code
    this.details = options.details ?? []
  }

  get statusCode (): number {
    return ERROR_CODES[this.code].status
  }
}

export type UpstreamErrorCode = Extract<ErrorCode, `UPSTREAM_${string}`>

/**
 * A failed call to a provider, classified at the adapter edge so retry and reporting stay provider-neutral.
 * Message, code and request id usually carry the provider's own text, so each is capped here, the one place
 * every provider failure passes, before it is kept, logged or reported.
 */
export class UpstreamError extends UsageError {
  readonly providerCode: string | null
  readonly requestId: string | null
  readonly httpStatus: number | null
  readonly retryable: boolean
  readonly retryAfterMs: number | null
  constructor (code: UpstreamErrorCode, message: string, options: {
    providerCode?: string | null
    requestId?: string | null
    httpStatus?: number | null
    retryAfterMs?: number | null
    cause?: unknown
  } = {}) {
    super(code, capProviderText(message), { cause: options.cause })
    this.name = 'UpstreamError'
    this.providerCode = capIdentifier(options.providerCode)
    this.requestId = capIdentifier(options.requestId)
    this.httpStatus = options.httpStatus ?? null
    this.retryAfterMs = options.retryAfterMs ?? null
    this.retryable = RETRYABLE_UPSTREAM_CODES.has(code)
  }
}

function capIdentifier (text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : capProviderText(text, MAX_PROVIDER_IDENTIFIER_CHARACTERS)
}

const RETRYABLE_UPSTREAM_CODES: ReadonlySet<UpstreamErrorCode> = new Set<UpstreamErrorCode>([
  'UPSTREAM_THROTTLED', 'UPSTREAM_SERVER', 'UPSTREAM_NETWORK', 'UPSTREAM_TIMEOUT'
])

export function isUsageError (error: unknown): error is UsageError {
  return error instanceof UsageError
}
