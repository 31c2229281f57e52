// Provider facts: docs/providers/README.md#tencent-gateway
/**
 * Who is calling, checked as the Tencent Cloud API gateway does: a TC3-HMAC-SHA256 Authorization for a known SecretId,
 * X-TC-Timestamp within 5 minutes of the gateway clock, a signature over the received body and headers (the host
 * without its port, as the SDKs sign it) for this product's service, and the session token of temporary credentials.
 */
import { timingSafeEqual } from 'node:crypto'
import { parseTc3Authorization, verifyTc3Request } from '../../signing/index.js'
import type { SimulatedAccount } from '../shared/simulator-server.js'
import { tencentGatewayError, type TencentError } from './tencent-errors.js'
import type { ReceivedTencentRequest } from './tencent-request.js'

const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000

export type TencentAuthentication = { ok: true, secretId: string } | { ok: false, error: TencentError }

export function createTencentAuthenticator (accounts: readonly SimulatedAccount[], service: string) {
  const accountsById = new Map(accounts.map(account => [account.accessKeyId, account]))
  const lookupSecret = (secretId: string): string | undefined => accountsById.get(secretId)?.accessKeySecret

  return (received: ReceivedTencentRequest, now: number): TencentAuthentication => {
    const parsed = parseTc3Authorization(received.authorization ?? '')
    if (parsed === null) return failure('AuthFailure.InvalidAuthorization')
    const account = accountsById.get(parsed.secretId)
    if (account === undefined) return failure('AuthFailure.SecretIdNotFound')
    if (received.timestamp === null) return { ok: false, error: tencentGatewayError('MissingParameter', 'X-TC-Timestamp') }
    if (!/^\d{1,12}$/.test(received.timestamp.trim())) return failure('AuthFailure.InvalidAuthorization')
    if (Math.abs(now - Number(received.timestamp) * 1000) > TIMESTAMP_TOLERANCE_MS) return failure('AuthFailure.SignatureExpire')
    // A signature scoped to another service is valid for that service only.
    if (parsed.service !== service) return failure('AuthFailure.SignatureFailure')

    const verified = verifyTc3Request({ method: received.method, headers: received.headers, body: received.body }, lookupSecret)
    if (!verified.ok) return failure(verified.code)

    if (account.securityToken !== undefined) {
      if (received.token === null || !sameSecret(received.token, account.securityToken)) return failure('AuthFailure.TokenFailure')
    } else if (received.token !== null) {
      // Strict choice (unconfirmed): a token sent with a long-term key means the client mixed up credentials.
      return failure('AuthFailure.TokenFailure')
    }
    return { ok: true, secretId: account.accessKeyId }
  }
}

function failure (code: Parameters<typeof tencentGatewayError>[0]): TencentAuthentication {
  return { ok: false, error: tencentGatewayError(code) }
}

/** Compares without leaking, through timing, how much of a token matched. */
function sameSecret (left: string, right: string): boolean {
  const leftBytes = Buffer.from(left, 'utf8')
  const rightBytes = Buffer.from(right, 'utf8')
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes)
}
