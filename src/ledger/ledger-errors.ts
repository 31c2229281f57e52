/**
 * Errors of the usage ledger. They never reach an HTTP caller as such: the query path turns
 * LedgerUnavailableError into a LEDGER_UNAVAILABLE warning and answers from the providers instead,
 * and the others are bugs or operator problems to be logged and fixed.
 */

/** What every ledger error shares: a stable `code` to match on (never the message) and the cause kept. */
export abstract class LedgerError extends Error {
  abstract readonly code: string
  constructor (message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = new.target.name
  }
}

/** The store cannot be reached or opened (server down, refused, timed out, directory unusable). */
export class LedgerUnavailableError extends LedgerError {
  readonly code = 'LEDGER_UNAVAILABLE'
}

/** The store was migrated by a newer version of the service than this one: refusing to touch it. */
export class LedgerSchemaTooNewError extends LedgerError {
  readonly code = 'LEDGER_SCHEMA_TOO_NEW'
  constructor (readonly storeVersion: number, readonly knownVersion: number) {
    super(`the usage ledger has schema version ${storeVersion}, but this service knows versions up to ${knownVersion}: ` +
      'upgrade the service (never downgrade a service over a ledger a newer one has migrated)')
  }
}

/** A write the ledger refuses before anything is stored: the caller handed over something inexact. */
export class LedgerWriteError extends LedgerError {
  readonly code = 'LEDGER_INVALID_WRITE'
}

/** A stored value does not fit a JavaScript number exactly; it is refused rather than rounded. */
export class LedgerValueError extends LedgerError {
  readonly code = 'LEDGER_VALUE_UNSAFE'
}
