import pg from 'pg'
import type { LedgerDriver, LedgerQueryable } from './ledger-driver.js'
import { classifyFailure } from './unavailable.js'

export interface PostgresDriverOptions {
  connectionString: string
  /** Safe to show in errors (no password). */
  description: string
  /** Connections per process; every replica has its own pool. */
  maxConnections?: number
  connectTimeoutMs?: number
}

export function createPostgresDriver (options: PostgresDriverOptions): LedgerDriver {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'usage-service-ledger'
  })
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, it would end the process.
  // The next query reconnects or fails with LedgerUnavailableError, which is where it matters.
  pool.on('error', () => {})
  const where = options.description

  const connect = async (): Promise<pg.PoolClient> => {
    try {
      return await pool.connect()
    } catch (error) {
      return classifyFailure(error, where)
    }
  }
  const queryOn = (client: pg.Pool | pg.PoolClient): LedgerQueryable => ({
    async query<Row> (sql: string, parameters: readonly unknown[] = []) {
      try {
        const result = await client.query(sql, parameters as unknown[])
        return result.rows as Row[]
      } catch (error) {
        return classifyFailure(error, where)
      }
    }
  })

  return {
    kind: 'postgres',
    ...queryOn(pool),
    async transaction (work) {
      const client = await connect()
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        const value = await work(queryOn(client))
        await client.query('COMMIT')
        return value
      } catch (error) {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackError) {
          // A connection that cannot even roll back is not given back to the pool.
          broken = rollbackError as Error
        }
        return classifyFailure(error, where)
      } finally {
        client.release(broken)
      }
    },
    async withSessionLock (lockKey, work) {
      // Session-level advisory lock on a dedicated connection: released by unlock, or by the server
      // when this process dies, so a crashed holder never blocks the others for good.
      const client = await connect()
      let broken: Error | undefined
      try {
        const rows = (await queryOn(client).query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [lockKey]))
        if (rows[0]?.acquired !== true) return null
        try {
          return { value: await work() }
        } finally {
          try {
            await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey])
          } catch (error) {
            broken = error as Error
          }
        }
      } finally {
        client.release(broken)
      }
    },
    async close () {
      await pool.end()
    }
  }
}
