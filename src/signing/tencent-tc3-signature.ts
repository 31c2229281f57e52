// Provider facts: docs/providers/signing.md#tc3-hmac-sha256
import { compareByteOrder } from './byte-order.js'
import { constantTimeEqual, hmacSha256, sha256Hex } from './digest.js'
import { firstHeaderValue, receivedHeaderPairs, type HeaderPair } from './received-headers.js'

const ALGORITHM = 'TC3-HMAC-SHA256'

export interface Tc3SigningInput {
  secretId: string
  secretKey: string
  service: string          // first label of the endpoint host, e.g. 'mps'
  host: string             // signed host header value (without port, as the official SDK does)
  timestamp: number        // unix seconds
  payload: string          // exact bytes sent
  contentType: string      // exact header value sent, e.g. 'application/json; charset=utf-8'
  action?: string          // when given, x-tc-action (lowercased value) is signed too: SignedHeaders content-type;host;x-tc-action
  method?: string          // default 'POST'
}

export interface Tc3Signature { authorization: string, signature: string, signedHeaders: string, canonicalRequest: string, stringToSign: string, credentialScope: string }

/** The credential date is the UTC day of the timestamp, whatever the caller's zone. */
function utcDateOf (timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10)
}

/** Shared by signer and verifier; header names arrive lowercased. */
function signPairs (
  input: { secretKey: string, service: string, timestamp: number, payload: string, method: string, date: string },
  pairs: readonly HeaderPair[]
): Omit<Tc3Signature, 'authorization'> {
  // TC3 lowercases header values too (unlike ACS3), so 'Host: CVM.…' and 'cvm.…' sign alike.
  const sorted = pairs.map(([name, value]) => [name, value.trim().toLowerCase()] as const)
    .sort(([left], [right]) => compareByteOrder(left, right))
  const canonicalHeaders = sorted.map(([name, value]) => `${name}:${value}\n`).join('')
  const signedHeaders = sorted.map(([name]) => name).join(';')
  // POST only: the URI is always '/' and the query string empty; the SDKs never sign a GET query for JSON APIs.
  const canonicalRequest = [input.method, '/', '', canonicalHeaders, signedHeaders, sha256Hex(input.payload)].join('\n')
  const credentialScope = `${input.date}/${input.service}/tc3_request`
  const stringToSign = `${ALGORITHM}\n${input.timestamp}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`
  // Derived key: a leaked signature cannot be reused for another day or service.
  const dateKey = hmacSha256(`TC3${input.secretKey}`, input.date)
  const serviceKey = hmacSha256(dateKey, input.service)
  const signingKey = hmacSha256(serviceKey, 'tc3_request')
  const signature = hmacSha256(signingKey, stringToSign).toString('hex')
  return { signature, signedHeaders, canonicalRequest, stringToSign, credentialScope }
}

export function signTc3 (input: Tc3SigningInput): Tc3Signature {
  const pairs: HeaderPair[] = [['content-type', input.contentType], ['host', input.host]]
  if (input.action !== undefined) pairs.push(['x-tc-action', input.action])
  const result = signPairs({ ...input, method: input.method ?? 'POST', date: utcDateOf(input.timestamp) }, pairs)
  return {
    ...result,
    // Tencent separates the parts with ', ' where Alibaba uses ','.
    authorization: `${ALGORITHM} Credential=${input.secretId}/${result.credentialScope}, SignedHeaders=${result.signedHeaders}, Signature=${result.signature}`
  }
}

/** Parses 'TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=<a;b>, Signature=<hex>'; null if malformed. */
export function parseTc3Authorization (header: string): { secretId: string, date: string, service: string, signedHeaders: string[], signature: string } | null {
  const match = /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request, ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-fA-F]{64})$/
    .exec(header.trim())
  if (match === null) return null
  const [, secretId = '', date = '', service = '', signedHeaderList = '', signature = ''] = match
  const signedHeaders = signedHeaderList.split(';')
  if (signedHeaders.some(name => name === '')) return null
  return { secretId, date, service, signedHeaders, signature: signature.toLowerCase() }
}

type Tc3FailureCode = 'AuthFailure.InvalidAuthorization' | 'AuthFailure.SecretIdNotFound' | 'AuthFailure.SignatureFailure'

/**
 * Server side: verifies a received TC3 request with the signed headers' received values. The host is taken without
 * its port because the official SDKs sign the bare hostname even when they connect to 127.0.0.1:PORT.
 * Timestamp skew is the caller's to check.
 */
export function verifyTc3Request (
  request: { method: string, headers: Record<string, string | string[] | undefined>, body: string },
  lookupSecret: (secretId: string) => string | undefined
): { ok: true, secretId: string } | { ok: false, code: Tc3FailureCode } {
  const pairs = receivedHeaderPairs(request.headers)
  const parsed = parseTc3Authorization(firstHeaderValue(pairs, 'authorization') ?? '')
  if (parsed === null) return { ok: false, code: 'AuthFailure.InvalidAuthorization' }
  const signedNames = parsed.signedHeaders.map(name => name.toLowerCase())
  const signedSet = new Set(signedNames)
  const timestampText = firstHeaderValue(pairs, 'x-tc-timestamp')?.trim() ?? ''
  const missingSigned = ['content-type', 'host', ...signedNames].some(name => !signedSet.has(name) || firstHeaderValue(pairs, name) === undefined)
  if (missingSigned || !/^\d+$/.test(timestampText)) return { ok: false, code: 'AuthFailure.InvalidAuthorization' }

  const secretKey = lookupSecret(parsed.secretId)
  if (secretKey === undefined) return { ok: false, code: 'AuthFailure.SecretIdNotFound' }

  const timestamp = Number(timestampText)
  if (parsed.date !== utcDateOf(timestamp)) return { ok: false, code: 'AuthFailure.SignatureFailure' }
  const signedPairs = signedNames.map((name): HeaderPair => {
    const value = firstHeaderValue(pairs, name) ?? ''
    return [name, name === 'host' ? value.replace(/:\d+$/, '') : value]
  })
  const recomputed = signPairs({ secretKey, service: parsed.service, timestamp, payload: request.body, method: request.method, date: parsed.date }, signedPairs)
  // A reordered or duplicated SignedHeaders list is not what any signer produces; treat it as a mismatch too.
  const sameHeaderList = recomputed.signedHeaders === signedNames.join(';')
  if (!constantTimeEqual(recomputed.signature, parsed.signature) || !sameHeaderList) return { ok: false, code: 'AuthFailure.SignatureFailure' }
  return { ok: true, secretId: parsed.secretId }
}
