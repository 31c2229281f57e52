// Provider facts: docs/providers/README.md#tencent-gateway
/** Reads an incoming Tencent Cloud API 3.0 request into what the gateway decides on. */
import type { IncomingMessage } from 'node:http'
import { parseTc3Authorization } from '../../signing/index.js'
import { readRequestBody } from '../shared/simulator-server.js'

// Bigger bodies are not usage queries; refusing them keeps a misbehaving client from filling memory.
const MAX_BODY_BYTES = 1024 * 1024

export interface ReceivedTencentRequest {
  method: string
  headers: Record<string, string | string[] | undefined>
  body: string
  action: string | null
  version: string | null
  timestamp: string | null
  token: string | null
  authorization: string | null
  /** The SecretId the Authorization header claims, before any check. */
  claimedSecretId: string | null
  /** The body as a JSON object, or null when it is not one. */
  payload: Record<string, unknown> | null
}

export async function readTencentRequest (request: IncomingMessage): Promise<ReceivedTencentRequest> {
  const body = await readRequestBody(request, MAX_BODY_BYTES)
  const header = (name: string): string | null => request.headersDistinct[name]?.[0] ?? null
  const authorization = header('authorization')
  return {
    method: request.method ?? 'GET',
    headers: request.headers,
    body,
    action: header('x-tc-action'),
    version: header('x-tc-version'),
    timestamp: header('x-tc-timestamp'),
    token: header('x-tc-token'),
    authorization,
    claimedSecretId: authorization === null ? null : parseTc3Authorization(authorization)?.secretId ?? null,
    payload: parseObject(body)
  }
}

/** API parameters as the stats log shows them: strings as sent, string arrays comma-joined, anything else as JSON. */
export function flattenPayload (payload: Record<string, unknown> | null): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(payload ?? {})) {
    if (typeof value === 'string') flat[name] = value
    else if (Array.isArray(value) && value.every(item => typeof item === 'string')) flat[name] = value.join(',')
    else flat[name] = JSON.stringify(value)
  }
  return flat
}

function parseObject (body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : null
  } catch {
    return null
  }
}
