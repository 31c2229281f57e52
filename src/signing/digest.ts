import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

// Hashing shared by the ACS3 and TC3 signers; internal, not re-exported from the signing index.

export function sha256Hex (data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex')
}

export function hmacSha256 (key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

/** Compares without leaking, through timing, how many leading characters matched. */
export function constantTimeEqual (left: string, right: string): boolean {
  const leftBytes = Buffer.from(left, 'utf8')
  const rightBytes = Buffer.from(right, 'utf8')
  // timingSafeEqual throws on length mismatch; the length itself is not secret (always 64 hex digits).
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes)
}
