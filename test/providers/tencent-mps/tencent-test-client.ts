/**
 * Test-side client for the simulated Tencent Cloud API gateway: signs like the SDKs (TC3, content-type;host, host
 * without port) and lets a test break exactly one thing (secret, timestamp, token, service, body, headers).
 */
import { request } from 'undici'
import { z } from 'zod'
import { signTc3 } from '../../../src/signing/index.js'
import type { SimulatedAccount } from '../../../src/simulators/index.js'
import { checkedBody } from '../../support/checked-body.js'

export const NOW = Date.parse('2026-11-20T10:30:00Z')
export const TENCENT_ACCOUNT: SimulatedAccount = { accessKeyId: 'AKIDtestsecretid0001', accessKeySecret: 'tencent-secret-0001' }
export const OTHER_TENCENT_ACCOUNT: SimulatedAccount = { accessKeyId: 'AKIDtestsecretid0002', accessKeySecret: 'tencent-secret-0002' }
export const SESSION_ACCOUNT: SimulatedAccount = { accessKeyId: 'AKIDtempsecretid0003', accessKeySecret: 'tencent-secret-0003', securityToken: 'session-token-0003' }

export interface TencentCall {
  url: string
  action?: string
  version?: string
  payload?: Record<string, unknown>
  /** Sent as is instead of the JSON payload (still signed). */
  rawBody?: string
  account?: SimulatedAccount
  /** Signs with this secret instead of the account's. */
  secret?: string
  /** Unix seconds; default NOW. */
  timestamp?: number
  /** Defaults to the account's token; null sends none. */
  token?: string | null
  service?: string
  method?: 'POST' | 'GET' | 'PUT'
  /** Edits the signed headers before sending. */
  editHeaders?: (headers: Record<string, string>) => void
  /** Body sent on the wire when it should differ from the one signed. */
  sentBody?: string
}

export interface TencentAnswer { status: number, headers: Record<string, string | string[] | undefined>, text: string, json: unknown }

/** The answer's `Response` object, whatever it holds; fails with the answer when the body has none. */
export function responseOf (answer: TencentAnswer): Record<string, unknown> {
  return checkedBody(z.object({ Response: z.record(z.string(), z.unknown()) }), `${answer.status} ${answer.text.slice(0, 1000)}`, answer.json).Response
}

const CONTENT_TYPE = 'application/json; charset=utf-8'

export async function callTencent (call: TencentCall): Promise<TencentAnswer> {
  const account = call.account ?? TENCENT_ACCOUNT
  const body = call.rawBody ?? JSON.stringify(call.payload ?? {})
  const timestamp = call.timestamp ?? Math.floor(NOW / 1000)
  const token = call.token === undefined ? account.securityToken : call.token ?? undefined
  const signature = signTc3({
    secretId: account.accessKeyId,
    secretKey: call.secret ?? account.accessKeySecret,
    service: call.service ?? 'mps',
    host: new URL(call.url).hostname,
    timestamp,
    payload: body,
    contentType: CONTENT_TYPE,
    method: call.method
  })
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPE,
    'x-tc-action': call.action ?? 'DescribeUsageData',
    'x-tc-version': call.version ?? '2019-06-12',
    'x-tc-timestamp': String(timestamp),
    authorization: signature.authorization
  }
  if (token !== undefined) headers['x-tc-token'] = token
  call.editHeaders?.(headers)
  const method = call.method ?? 'POST'
  const response = await request(new URL('/', call.url), { method, headers, body: method === 'GET' ? undefined : call.sentBody ?? body })
  const text = await response.body.text()
  let json: unknown
  try { json = JSON.parse(text) } catch { json = undefined }
  return { status: response.statusCode, headers: response.headers, text, json }
}

/** The whole window of days [first, last] in UTC+08:00 as DescribeUsageData wants them. */
export function plus8 (instant: number): string {
  return new Date(instant + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00'
}
