/**
 * Names of the Redis keys this service writes. Budget and call keys hold access key ids and provider
 * parameters: they are hashed, so the keyspace shows neither, and a long call key costs no more than a short one.
 */
import { createHash } from 'node:crypto'

export const DEFAULT_KEY_PREFIX = 'usage:'

export function redisKeyOf (prefix: string, purpose: string, logicalKey: string): string {
  const digest = createHash('sha256').update(logicalKey).digest('base64url')
  return `${prefix}${purpose}:${digest}`
}
