import { mkdirSync } from 'node:fs'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import type { LedgerDriver, LedgerQueryable } from './ledger-driver.js'
import { LedgerUnavailableError } from './ledger-errors.js'
import { classifyFailure } from './unavailable.js'

/**
 * PGlite: one Postgres backend inside this process, persisted to `dataDir` (or kept in memory).
 * One process per directory: PGlite does not share a data directory between processes.
 */
export async function createPgliteDriver (options: { dataDir: string | null, description: string }): Promise<LedgerDriver> {
  const where = options.description
  let database: PGlite
  try {
    if (options.dataDir !== null) mkdirSync(options.dataDir, { recursive: true })
    database = options.dataDir === null ? await PGlite.create() : await PGlite.create(options.dataDir)
  } catch (error) {
    throw new LedgerUnavailableError(`usage ledger at ${where} could not be opened: ${(error as Error).message}`, { cause: error })
  }
  // Advisory locks would be granted to every caller of this single connection: hold names in-process instead.
  const heldLocks = new Set<string>()

  const queryOn = (target: PGlite | Transaction): LedgerQueryable => ({
    async query<Row> (sql: string, parameters: readonly unknown[] = []) {
      try {
        const result = await target.query<Row>(sql, parameters as unknown[])
        return result.rows
      } catch (error) {
        return classifyFailure(error, where)
      }
    }
  })

  return {
    kind: 'pglite',
    ...queryOn(database),
    async transaction (work) {
      try {
        return await database.transaction(async transaction => await work(queryOn(transaction)))
      } catch (error) {
        return classifyFailure(error, where)
      }
    },
    async withSessionLock (lockKey, work) {
      if (heldLocks.has(lockKey)) return null
      heldLocks.add(lockKey)
      try {
        return { value: await work() }
      } finally {
        heldLocks.delete(lockKey)
      }
    },
    async close () {
      if (!database.closed) await database.close()
    }
  }
}
