import type { LedgerDriver } from './ledger-driver.js'
import { LedgerSchemaTooNewError } from './ledger-errors.js'
import { LATEST_SCHEMA_VERSION, MIGRATIONS, ledgerSql } from './ledger-sql.js'
import { advisoryLockKey } from './lock-key.js'

/**
 * Brings the schema to the latest version in one transaction, under a transaction-level advisory lock so
 * replicas booting together migrate once (the others wait, then find nothing to do). Refuses a store a
 * newer service has migrated. Returns the version found before migrating (0 for a new store).
 */
export async function migrateLedger (driver: LedgerDriver, schema: string): Promise<number> {
  const sql = ledgerSql(schema)
  return await driver.transaction(async transaction => {
    await transaction.query(sql.migrationLock, [advisoryLockKey(schema, 'migrate')])
    await transaction.query(sql.createSchema)
    await transaction.query(sql.createMeta)
    const rows = await transaction.query<{ value: string }>(sql.readSchemaVersion)
    const found = rows[0] === undefined ? 0 : Number(rows[0].value)
    if (found > LATEST_SCHEMA_VERSION) throw new LedgerSchemaTooNewError(found, LATEST_SCHEMA_VERSION)
    for (const migration of MIGRATIONS) {
      if (migration.version <= found) continue
      for (const statement of sql.migrationStatements(migration)) await transaction.query(statement)
    }
    if (found < LATEST_SCHEMA_VERSION) await transaction.query(sql.writeSchemaVersion, [String(LATEST_SCHEMA_VERSION)])
    return found
  })
}
