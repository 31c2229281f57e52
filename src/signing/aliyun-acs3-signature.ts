// Provider facts: docs/providers/signing.md#acs3-hmac-sha256
import { compareByteOrder } from './byte-order.js'
import { constantTimeEqual, hmacSha256, sha256Hex } from './digest.js'
import { firstHeaderValue, receivedHeaderPairs, type HeaderPair } from './received-headers.js'
import { percentEncode } from './percent-encode.js'

const ALGORITHM = 'ACS3-HMAC-SHA256'

export const EMPTY_BODY_SHA256: string = sha256Hex('')

export interface Acs3SigningInput {
  method: string                    // 'POST'
  path: string                      // canonical URI, '/' for RPC
  query: Record<string, string>     // decoded query parameters
  headers: Record<string, string>   // any case; the signer signs host, content-type and every x-acs-* header present
  payloadSha256: string             // hex
  accessKeyId: string
  accessKeySecret: string
}

export interface Acs3Signature { authorization: string, signature: string, signedHeaders: string, canonicalRequest: string, stringToSign: string }

function isSignedByDefault (lowerName: string): boolean {
  return lowerName === 'host' || lowerName === 'content-type' || lowerName.startsWith('x-acs-')
}

/** Shared by signer and verifier so both canonicalize the same way; the pairs are already filtered and lowercased. */
function signPairs (
  input: Omit<Acs3SigningInput, 'headers' | 'accessKeyId'>, pairs: readonly HeaderPair[]
): Omit<Acs3Signature, 'authorization'> {
  // Plain loops and string concatenation: a source without native buckets signs one call per bucket (thousands per
  // query), and the intermediate maps and arrays were most of a signature's time, the hashing a fifth of it.
  const valuesByName = new Map<string, string[]>()
  for (const [name, value] of pairs) {
    const values = valuesByName.get(name)
    if (values === undefined) valuesByName.set(name, [value.trim()])
    else values.push(value.trim())
  }
  const names = [...valuesByName.keys()].sort(compareByteOrder)
  let canonicalHeaders = ''
  for (const name of names) {
    const values = valuesByName.get(name)!
    // darabonba sorts the values of a repeated header before joining them, so the order they arrived in does not matter.
    canonicalHeaders += `${name}:${values.length === 1 ? values[0]! : values.sort(compareByteOrder).join(',')}\n`
  }
  let canonicalQuery = ''
  for (const key of Object.keys(input.query).sort(compareByteOrder)) {
    canonicalQuery += `${canonicalQuery === '' ? '' : '&'}${percentEncode(key)}=${percentEncode(input.query[key] ?? '')}`
  }
  const signedHeaders = names.join(';')
  const canonicalRequest = `${input.method}\n${input.path}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeaders}\n${input.payloadSha256}`
  const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`
  // V3 uses the raw secret as the HMAC key: no date/service key derivation as in AWS SigV4 or TC3.
  const signature = hmacSha256(input.accessKeySecret, stringToSign).toString('hex')
  return { signature, signedHeaders, canonicalRequest, stringToSign }
}

export function signAcs3 (input: Acs3SigningInput): Acs3Signature {
  const pairs: HeaderPair[] = []
  for (const name in input.headers) {
    const lowerName = name.toLowerCase()
    if (isSignedByDefault(lowerName)) pairs.push([lowerName, input.headers[name]!])
  }
  const result = signPairs(input, pairs)
  return { ...result, authorization: `${ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${result.signedHeaders},Signature=${result.signature}` }
}

/** `yyyy-MM-ddTHH:mm:ssZ`: Alibaba rejects the milliseconds that toISOString adds. */
function formatAcsDate (date: Date): string {
  // toISOString is always yyyy-MM-ddTHH:mm:ss.sssZ for the years a clock gives.
  return `${date.toISOString().slice(0, 19)}Z`
}

/**
 * Builds the headers to send for an RPC call: host, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce,
 * x-acs-content-sha256, x-acs-security-token (+ x-acs-accesskey-id, like the SDK) when a token is given, and
 * content-type (form-urlencoded, signed) when there is a body, since RPC bodies are form data. Lowercase names,
 * including authorization and accept: application/json.
 */
export function buildAcs3Headers (input: {
  method: string
  host: string
  path: string
  query: Record<string, string>
  body: string
  action: string
  version: string
  date: Date
  nonce: string
  accessKeyId: string
  accessKeySecret: string
  securityToken?: string
}): Record<string, string> {
  const headers: Record<string, string> = {
    host: input.host,
    'x-acs-action': input.action,
    'x-acs-version': input.version,
    'x-acs-date': formatAcsDate(input.date),
    'x-acs-signature-nonce': input.nonce,
    'x-acs-content-sha256': input.body === '' ? EMPTY_BODY_SHA256 : sha256Hex(input.body)
  }
  if (input.body !== '') headers['content-type'] = 'application/x-www-form-urlencoded'
  if (input.securityToken !== undefined) {
    headers['x-acs-security-token'] = input.securityToken
    headers['x-acs-accesskey-id'] = input.accessKeyId
  }
  const { authorization } = signAcs3({
    method: input.method,
    path: input.path,
    query: input.query,
    headers,
    payloadSha256: headers['x-acs-content-sha256'] ?? '',
    accessKeyId: input.accessKeyId,
    accessKeySecret: input.accessKeySecret
  })
  return { ...headers, accept: 'application/json', authorization }
}

/** Parses 'ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>'; returns null if malformed. */
export function parseAcs3Authorization (header: string): { accessKeyId: string, signedHeaders: string[], signature: string } | null {
  const match = /^ACS3-HMAC-SHA256 Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-fA-F]{64})$/.exec(header.trim())
  if (match === null) return null
  const [, accessKeyId = '', signedHeaderList = '', signature = ''] = match
  const signedHeaders = signedHeaderList.split(';')
  if (signedHeaders.some(name => name === '')) return null
  return { accessKeyId, signedHeaders, signature: signature.toLowerCase() }
}

// Without these signed, a captured request could be replayed with another date, nonce or body.
const REQUIRED_SIGNED_HEADERS = ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']

type Acs3FailureCode = 'IncompleteSignature' | 'ContentSha256Mismatch' | 'SignatureDoesNotMatch' | 'InvalidAccessKeyId.NotFound'

/**
 * Server side (used by our simulated providers): recomputes the signature from the headers named in SignedHeaders,
 * as received, and compares in constant time. Date skew and nonce reuse are the caller's to check.
 */
export function verifyAcs3Request (
  request: { method: string, path: string, query: Record<string, string>, headers: Record<string, string | string[] | undefined>, body: string },
  lookupSecret: (accessKeyId: string) => string | undefined
): { ok: true, accessKeyId: string } | { ok: false, code: Acs3FailureCode } {
  const pairs = receivedHeaderPairs(request.headers)
  const parsed = parseAcs3Authorization(firstHeaderValue(pairs, 'authorization') ?? '')
  if (parsed === null) return { ok: false, code: 'IncompleteSignature' }
  const signedNames = parsed.signedHeaders.map(name => name.toLowerCase())
  const signedSet = new Set(signedNames)
  if (REQUIRED_SIGNED_HEADERS.some(name => !signedSet.has(name))) return { ok: false, code: 'IncompleteSignature' }
  if (signedNames.some(name => firstHeaderValue(pairs, name) === undefined)) return { ok: false, code: 'IncompleteSignature' }

  const accessKeySecret = lookupSecret(parsed.accessKeyId)
  if (accessKeySecret === undefined) return { ok: false, code: 'InvalidAccessKeyId.NotFound' }

  const claimedSha256 = firstHeaderValue(pairs, 'x-acs-content-sha256') ?? ''
  if (!constantTimeEqual(claimedSha256.trim().toLowerCase(), sha256Hex(request.body))) return { ok: false, code: 'ContentSha256Mismatch' }

  const recomputed = signPairs(
    { method: request.method, path: request.path, query: request.query, payloadSha256: claimedSha256.trim(), accessKeySecret },
    pairs.filter(([name]) => signedSet.has(name))
  )
  // A reordered or duplicated SignedHeaders list is not what any signer produces; treat it as a mismatch too.
  const sameHeaderList = recomputed.signedHeaders === signedNames.join(';')
  if (!constantTimeEqual(recomputed.signature, parsed.signature) || !sameHeaderList) return { ok: false, code: 'SignatureDoesNotMatch' }
  return { ok: true, accessKeyId: parsed.accessKeyId }
}
