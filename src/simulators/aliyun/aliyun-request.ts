// Provider facts: docs/providers/README.md#alibaba-gateway
/**
 * Reads an incoming POP request into what the gateway decides on: which signing style, which action and version,
 * who claims to call, and the API parameters (query and form body merged, common and signing parameters removed).
 */
import type { IncomingMessage } from 'node:http'
import { parseAcs3Authorization } from '../../signing/index.js'
import { readRequestBody } from '../shared/simulator-server.js'

// Bigger bodies are not usage queries; refusing them keeps a misbehaving client from filling memory.
const MAX_BODY_BYTES = 1024 * 1024

/** V1 RPC common parameters: never passed to handlers or recorded (SecurityToken and Signature are secrets or proofs). */
const COMMON_PARAMETERS = new Set([
  'Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce',
  'SignatureType', 'Timestamp', 'SecurityToken'
])

export interface ReceivedAliyunRequest {
  method: string
  path: string
  /** Decoded query parameters as received, for signature verification. */
  query: Record<string, string>
  /** Query and form body merged (body wins), for V1 verification. */
  allParameters: Record<string, string>
  body: string
  headers: Record<string, string[] | undefined>
  style: 'acs3' | 'rpc' | 'none'
  action: string | null
  version: string | null
  claimedAccessKeyId: string | null
  timestamp: string | null
  nonce: string | null
  securityToken: string | null
  apiParameters: Record<string, string>
  /** Live and other older products answer XML unless Format=JSON. */
  wantsJson: boolean
}

export async function readAliyunRequest (request: IncomingMessage): Promise<ReceivedAliyunRequest> {
  const body = await readRequestBody(request, MAX_BODY_BYTES)
  const url = new URL(request.url ?? '/', 'http://simulator.invalid')
  const query = firstValues(url.searchParams)
  const isForm = (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
  const form = isForm ? firstValues(new URLSearchParams(body)) : {}
  const allParameters = { ...query, ...form }
  const headers = request.headersDistinct
  const header = (name: string): string | null => headers[name]?.[0] ?? null

  const authorization = header('authorization')
  const style = authorization !== null ? 'acs3' : allParameters.Signature !== undefined ? 'rpc' : 'none'
  const fromAcs3 = style === 'acs3'
  const apiParameters = Object.fromEntries(Object.entries(allParameters).filter(([name]) => !COMMON_PARAMETERS.has(name)))
  return {
    method: request.method ?? 'GET',
    path: url.pathname,
    query,
    allParameters,
    body,
    headers,
    style,
    action: fromAcs3 ? header('x-acs-action') : allParameters.Action ?? null,
    version: fromAcs3 ? header('x-acs-version') : allParameters.Version ?? null,
    claimedAccessKeyId: fromAcs3 ? parseAcs3Authorization(authorization ?? '')?.accessKeyId ?? null : allParameters.AccessKeyId ?? null,
    timestamp: fromAcs3 ? header('x-acs-date') : allParameters.Timestamp ?? null,
    nonce: fromAcs3 ? header('x-acs-signature-nonce') : allParameters.SignatureNonce ?? null,
    securityToken: fromAcs3 ? header('x-acs-security-token') : allParameters.SecurityToken ?? null,
    apiParameters,
    // Strict on purpose: the V3 SDKs send `accept: application/json` instead, but whether the gateway honours it is
    // unconfirmed, so only Format=JSON counts; a client that forgets it gets XML and fails loudly in tests.
    wantsJson: (allParameters.Format ?? '').toLowerCase() === 'json'
  }
}

function firstValues (parameters: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, value] of parameters) values[name] ??= value
  return values
}
