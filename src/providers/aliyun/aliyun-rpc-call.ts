// Provider facts: docs/providers/README.md#alibaba-gateway
/**
 * One Alibaba RPC-style call: POST / with the parameters in the query string, signed with
 * ACS3-HMAC-SHA256 (the current SDKs' default). Format=JSON is sent too: Live answers XML without it.
 */
import { randomUUID } from 'node:crypto'
import { UpstreamError } from '../../errors.js'
import { buildAcs3Headers } from '../../signing/index.js'
import type { FetchContext } from '../../usage/source-adapter.js'
import { safeJson } from '../utils/provider-answer.js'
import { aliyunErrorFromResponse } from './aliyun-error.js'

export interface AliyunRpcCall {
  action: string
  version: string
  parameters: Record<string, string>
}

export interface AliyunRpcAnswer {
  body: unknown
  requestId: string | null
}

export async function callAliyunRpc (call: AliyunRpcCall, context: FetchContext<unknown>): Promise<AliyunRpcAnswer> {
  const { source, http, clock, signal } = context
  const endpoint = new URL(source.endpoint)
  const query = { ...call.parameters, Format: 'JSON' }
  const headers = buildAcs3Headers({
    method: 'POST',
    host: endpoint.host,
    path: '/',
    query,
    body: '',
    action: call.action,
    version: call.version,
    date: new Date(clock.now()),
    nonce: randomUUID(),
    accessKeyId: source.credentials.accessKeyId,
    accessKeySecret: source.credentials.accessKeySecret,
    securityToken: source.credentials.securityToken
  })
  // One serialization, already in the form a URL keeps as it is (searchParams.set rewrote the whole query string at
  // each parameter, and a second URL object per call was a part of a one-bucket call's time).
  const url = `${endpoint.origin}/?${new URLSearchParams(query).toString()}`

  const response = await http.send({ url, method: 'POST', headers, signal })
  if (response.status < 200 || response.status >= 300) throw aliyunErrorFromResponse(response)

  const body = safeJson(response.body)
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new UpstreamError('UPSTREAM_MALFORMED', `${call.action} answered ${response.status} with a body that is not a JSON object`, {
      httpStatus: response.status
    })
  }
  const requestId = (body as { RequestId?: unknown }).RequestId
  return { body, requestId: typeof requestId === 'string' ? requestId : null }
}
