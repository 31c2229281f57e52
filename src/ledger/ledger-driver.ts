/**
 * The one seam between the ledger and a database: PostgreSQL through a `pg` pool, or PGlite (the same
 * Postgres compiled to WASM) in-process. Everything above it speaks plain PostgreSQL with $n parameters.
 */
export interface LedgerQueryable {
  /** Runs one statement with positional parameters ($1, $2, …) and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>
}

export interface LedgerDriver extends LedgerQueryable {
  readonly kind: 'postgres' | 'pglite'
  /** Runs `work` in one transaction (READ COMMITTED) on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (transaction: LedgerQueryable) => Promise<T>): Promise<T>
  /**
   * Runs `work` while holding the named exclusive lock, or returns null at once when another holder
   * (another connection, i.e. another replica) has it. `lockKey` is a signed 64-bit integer as text.
   */
  withSessionLock<T>(lockKey: string, work: () => Promise<T>): Promise<{ value: T } | null>
  close(): Promise<void>
}
