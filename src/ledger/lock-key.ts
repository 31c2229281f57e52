import { createHash } from 'node:crypto'

/**
 * Advisory locks are keyed by one signed 64-bit integer per database: names (namespaced by schema, so
 * two ledgers in one database never contend) are hashed into that space.
 */
export function advisoryLockKey (schema: string, name: string): string {
  return createHash('sha256').update(`usage-ledger\u0000${schema}\u0000${name}`).digest().readBigInt64BE(0).toString()
}
