// Provider facts: docs/providers/README.md#alibaba-gateway
/**
 * Who is calling, checked as the POP gateway does: V3 (ACS3-HMAC-SHA256) or V1 RPC (HMAC-SHA1) signature, timestamp
 * within 15 minutes of the gateway clock, nonce not reused, STS token matching the key.
 */
import { timingSafeEqual } from 'node:crypto'
import { signRpc, verifyAcs3Request } from '../../signing/index.js'
import { gatewayError, type AliyunError } from './aliyun-errors.js'
import type { ReceivedAliyunRequest } from './aliyun-request.js'
import { createNonceRegistry } from '../shared/nonce-registry.js'
import { parseUtcSeconds } from './utc-seconds.js'
import type { SimulatedAccount } from '../shared/simulator-server.js'

const TIMESTAMP_TOLERANCE_MS = 15 * 60 * 1000

export type AuthenticationResult = { ok: true, accessKeyId: string } | { ok: false, error: AliyunError }

export type AliyunAuthenticator = (received: ReceivedAliyunRequest, now: number) => AuthenticationResult

export function createAliyunAuthenticator (accounts: readonly SimulatedAccount[]): AliyunAuthenticator {
  const accountsById = new Map(accounts.map(account => [account.accessKeyId, account]))
  // The replay window is unconfirmed in the docs; 15 minutes is the natural bound given the timestamp rule.
  const nonces = createNonceRegistry(TIMESTAMP_TOLERANCE_MS)
  const lookupSecret = (accessKeyId: string): string | undefined => accountsById.get(accessKeyId)?.accessKeySecret

  return (received, now) => {
    if (received.style === 'none') return failure('IncompleteSignature')
    const timestamp = parseUtcSeconds(received.timestamp)
    if (timestamp === null) return failure('InvalidTimeStamp.Format')

    const signature = received.style === 'acs3' ? verifyAcs3(received, lookupSecret) : verifyRpc(received, lookupSecret)
    if (!signature.ok) return signature
    const account = accountsById.get(signature.accessKeyId)
    if (account === undefined) return failure('InvalidAccessKeyId.NotFound')

    if (Math.abs(now - timestamp) > TIMESTAMP_TOLERANCE_MS) return failure('InvalidTimeStamp.Expired')
    // Both verifiers require a nonce, so it is present here.
    if (!nonces.use(account.accessKeyId, received.nonce ?? '', now)) return failure('SignatureNonceUsed')

    if (account.securityToken !== undefined) {
      if (received.securityToken === null) return failure('MissingSecurityToken')
      if (!sameSecret(received.securityToken, account.securityToken)) return failure('InvalidSecurityToken.Mismatch')
    } else if (received.securityToken !== null) {
      // Strict choice (unconfirmed): a token sent with a long-term key means the client mixed up credentials.
      return failure('InvalidSecurityToken.Mismatch')
    }
    return { ok: true, accessKeyId: account.accessKeyId }
  }
}

function verifyAcs3 (received: ReceivedAliyunRequest, lookupSecret: (accessKeyId: string) => string | undefined): AuthenticationResult {
  const verified = verifyAcs3Request(
    { method: received.method, path: received.path, query: received.query, headers: received.headers, body: received.body },
    lookupSecret
  )
  if (verified.ok) return verified
  // A body that does not match its signed hash is a signature failure to the client; no separate code is documented.
  return failure(verified.code === 'ContentSha256Mismatch' ? 'SignatureDoesNotMatch' : verified.code)
}

function verifyRpc (received: ReceivedAliyunRequest, lookupSecret: (accessKeyId: string) => string | undefined): AuthenticationResult {
  const { AccessKeyId: accessKeyId, Signature: signature, SignatureMethod: method, SignatureNonce: nonce } = received.allParameters
  if (accessKeyId === undefined || signature === undefined || method === undefined || nonce === undefined) return failure('IncompleteSignature')
  if (method !== 'HMAC-SHA1') return failure('InvalidSignatureMethod')
  const accessKeySecret = lookupSecret(accessKeyId)
  if (accessKeySecret === undefined) return failure('InvalidAccessKeyId.NotFound')
  // Every parameter but Signature is signed, from the query and the form body alike, with the real HTTP method.
  const expected = signRpc({ method: received.method, parameters: received.allParameters, accessKeySecret })
  return sameSecret(signature, expected) ? { ok: true, accessKeyId } : failure('SignatureDoesNotMatch')
}

function failure (code: Parameters<typeof gatewayError>[0]): AuthenticationResult {
  return { ok: false, error: gatewayError(code) }
}

/** Compares without leaking, through timing, how much of a signature or token matched. */
function sameSecret (left: string, right: string): boolean {
  const leftBytes = Buffer.from(left, 'utf8')
  const rightBytes = Buffer.from(right, 'utf8')
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes)
}
