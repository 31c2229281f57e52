// Provider facts: docs/providers/README.md#tencent-gateway
/**
 * One Tencent Cloud API 3.0 call: POST / with a JSON body, signed with TC3-HMAC-SHA256 as the official SDKs do
 * (content-type and host signed, the host without its port).
 * Shared by every Tencent kind.
 */
import { UpstreamError } from '../../errors.js'
import { signTc3 } from '../../signing/index.js'
import type { FetchContext } from '../../usage/source-adapter.js'
import { safeJson } from '../utils/provider-answer.js'
import { tencentApiError, tencentErrorSchema, tencentHttpError } from './tencent-error.js'

export const TENCENT_JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

export interface TencentApiCall {
  action: string
  version: string
  /** The TC3 credential-scope service, e.g. 'mps'. Not taken from the host: tests and private endpoints use IPs. */
  service: string
  payload: Record<string, unknown>
  /** X-TC-Region, for APIs that need it. */
  region?: string
}

export interface TencentApiAnswer {
  /** `Response` of the answer, without its error (an error throws). */
  response: Record<string, unknown>
  requestId: string | null
}

export async function callTencentApi (call: TencentApiCall, context: FetchContext<unknown>): Promise<TencentApiAnswer> {
  const { source, http, clock, signal } = context
  const endpoint = new URL(source.endpoint)
  // The exact bytes signed are the bytes sent.
  const body = JSON.stringify(call.payload)
  const timestamp = Math.floor(clock.now() / 1000)
  const signature = signTc3({
    secretId: source.credentials.accessKeyId,
    secretKey: source.credentials.accessKeySecret,
    service: call.service,
    host: endpoint.hostname,
    timestamp,
    payload: body,
    contentType: TENCENT_JSON_CONTENT_TYPE
  })
  const headers: Record<string, string> = {
    'content-type': TENCENT_JSON_CONTENT_TYPE,
    'x-tc-action': call.action,
    'x-tc-version': call.version,
    'x-tc-timestamp': String(timestamp),
    authorization: signature.authorization
  }
  if (source.credentials.securityToken !== undefined) headers['x-tc-token'] = source.credentials.securityToken
  if (call.region !== undefined) headers['x-tc-region'] = call.region

  const response = await http.send({ url: new URL('/', endpoint).toString(), method: 'POST', headers, body, signal })
  if (response.status !== 200) throw tencentHttpError(response)

  const parsed = safeJson(response.body)
  const envelope = isObject(parsed) ? parsed.Response : undefined
  if (!isObject(envelope)) {
    throw new UpstreamError('UPSTREAM_MALFORMED', `${call.action} answered 200 with a body that is not a Tencent Cloud JSON response`, { httpStatus: 200 })
  }
  const requestId = typeof envelope.RequestId === 'string' ? envelope.RequestId : null
  if (envelope.Error !== undefined && envelope.Error !== null) {
    const error = tencentErrorSchema.safeParse(envelope.Error)
    if (!error.success) {
      throw new UpstreamError('UPSTREAM_MALFORMED', `${call.action} answered an error without a readable Code`, { requestId, httpStatus: 200 })
    }
    throw tencentApiError(error.data, requestId, 200)
  }
  return { response: envelope, requestId }
}

function isObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
