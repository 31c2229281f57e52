/**
 * API keys as SHA-256 digests. The service keeps only digests (configured as `sha256:<hex>` or hashed at
 * boot from a plain key), hashes each presented key, and compares digests in constant time, so neither
 * a key's length nor its first differing byte shows in response timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { ConfigError } from '../config/config-error.js'

/** Shorter plain keys are guessable; `openssl rand -hex 32` makes a good one. */
export const MIN_PLAIN_KEY_LENGTH = 16
/** Longer presented keys are not keys: refused without hashing megabytes of header. */
const MAX_PRESENTED_KEY_LENGTH = 1024
const DIGEST_ENTRY = /^sha256:([0-9a-f]{64})$/i

/** Parses the comma list of USAGE_API_KEYS; messages name entries by position and never echo a key. */
export function parseApiKeyEntries (list: string | undefined, variable = 'USAGE_API_KEYS'): Buffer[] {
  if (list === undefined) return []
  const entries = list.split(',').map(entry => entry.trim())
  return entries.map((entry, index) => {
    const position = `entry ${index + 1} of ${entries.length}`
    if (entry === '') throw new ConfigError(variable, `${position} is empty; separate keys with single commas`)
    if (/^sha256:/i.test(entry)) {
      const match = DIGEST_ENTRY.exec(entry)
      if (!match) throw new ConfigError(variable, `${position} starts with sha256: but is not followed by 64 hex digits`)
      return Buffer.from(match[1]!, 'hex')
    }
    if (entry.length < MIN_PLAIN_KEY_LENGTH) {
      throw new ConfigError(variable, `${position} is shorter than ${MIN_PLAIN_KEY_LENGTH} characters; use a long random key (openssl rand -hex 32)`)
    }
    if (/\s/.test(entry)) throw new ConfigError(variable, `${position} contains whitespace, which a Bearer token cannot carry`)
    return sha256(entry)
  })
}

export function sha256 (text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/** The accepted keys. An empty set means the service is open (and says so loudly at boot). */
export class ApiKeySet {
  private readonly digests: readonly Buffer[]

  constructor (digests: readonly Buffer[]) {
    this.digests = digests.map(digest => Buffer.from(digest))
  }

  get enabled (): boolean {
    return this.digests.length > 0
  }

  /** Every configured digest is compared, matched or not, so the time taken does not say which key matched. */
  accepts (presented: string): boolean {
    if (presented.length === 0 || presented.length > MAX_PRESENTED_KEY_LENGTH) return false
    const digest = sha256(presented)
    let matched = false
    for (const known of this.digests) matched = timingSafeEqual(digest, known) || matched
    return matched
  }
}

/** The key of an `Authorization: Bearer <key>` header (scheme case-insensitive), or null. */
export function bearerTokenOf (header: string | undefined): string | null {
  if (header === undefined) return null
  const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header)
  return match ? match[1]! : null
}
