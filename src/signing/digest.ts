import { createHmac, hash, timingSafeEqual } from 'node:crypto'

// Hashing shared by the ACS3 and TC3 signers; internal, not re-exported from the signing index.

// crypto.hash (Node >= 20.12) is the one-shot digest: half the time of a Hash object for the few hundred bytes a
// signature hashes, and a source without native buckets signs one call per bucket.
export function sha256Hex (data: string): string {
  return hash('sha256', data, 'hex')
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
