import { LedgerUnavailableError } from './ledger-errors.js'

// Network failures (Node's codes), SQLSTATE class 08 (connection exception) and the server refusing or
// going away: the store is down, not the query wrong.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'])
const SERVER_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000', '28000', '28P01'])
const POOL_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|connection is closed|Client was closed|Cannot use a pool after calling end|PGlite is closed/i

export function isUnavailable (error: unknown): boolean {
  if (error instanceof LedgerUnavailableError) return true
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || SERVER_UNAVAILABLE_STATES.has(code))) return true
  if (error instanceof AggregateError) return error.errors.some(isUnavailable)
  return POOL_MESSAGES.test(error.message)
}

/** Rethrows a connection-level failure as LedgerUnavailableError (naming where the store is), anything else as is. */
export function classifyFailure (error: unknown, where: string): never {
  if (isUnavailable(error) && !(error instanceof LedgerUnavailableError)) {
    const reason = error instanceof Error ? (error.message !== '' ? error.message : (error as { code?: string }).code ?? error.name) : String(error)
    throw new LedgerUnavailableError(`usage ledger at ${where} is unavailable: ${reason}`, { cause: error })
  }
  throw error
}
