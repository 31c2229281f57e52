import { resolve } from 'node:path'
import { ConfigError } from '../config/config-error.js'

export const STORE_URL_VARIABLE = 'USAGE_STORE_URL'

/** Where the ledger lives when USAGE_STORE_URL is unset: an embedded database under the working directory. */
export const DEFAULT_STORE_URL = 'pglite:./data/ledger'

export type StoreLocation =
  | { kind: 'postgres', connectionString: string, description: string }
  | { kind: 'pglite', dataDir: string, description: string }
  | { kind: 'memory', description: string }

const FORMS = 'postgres://user@host:5432/database, postgresql://…, pglite:<directory>, memory: or none'

/**
 * Reads USAGE_STORE_URL as the service does: `none` keeps no ledger at all (every query goes to the providers, as a
 * pass-through; for a process that must not own a store, such as a throwaway instance), anything else a store.
 */
export function parseStoreSetting (value: string | undefined, workingDirectory: string = process.cwd()): StoreLocation | null {
  return (value ?? '').trim() === 'none' ? null : parseStoreUrl(value, workingDirectory)
}

/**
 * Reads USAGE_STORE_URL (unset or blank means DEFAULT_STORE_URL). `description` is safe to log:
 * a PostgreSQL password is never part of it.
 */
export function parseStoreUrl (value: string | undefined, workingDirectory: string = process.cwd()): StoreLocation {
  const text = (value ?? '').trim() === '' ? DEFAULT_STORE_URL : (value ?? '').trim()
  if (text === 'memory:') return { kind: 'memory', description: 'memory:' }
  if (text.startsWith('pglite:')) {
    const directory = text.slice('pglite:'.length)
    if (directory === '') throw new ConfigError(STORE_URL_VARIABLE, `pglite: needs a directory, e.g. ${DEFAULT_STORE_URL}`)
    if (directory.startsWith('//')) throw new ConfigError(STORE_URL_VARIABLE, `write pglite:<directory> (pglite:/var/lib/usage or ${DEFAULT_STORE_URL}), not a URL with //`)
    const dataDir = resolve(workingDirectory, directory)
    return { kind: 'pglite', dataDir, description: `pglite:${dataDir}` }
  }
  if (text.startsWith('postgres://') || text.startsWith('postgresql://')) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      throw new ConfigError(STORE_URL_VARIABLE, `not a valid PostgreSQL URL (expected ${FORMS})`)
    }
    if (url.hostname === '') throw new ConfigError(STORE_URL_VARIABLE, 'the PostgreSQL URL names no host')
    if (url.pathname.replace(/^\//, '') === '') throw new ConfigError(STORE_URL_VARIABLE, 'the PostgreSQL URL names no database (…:5432/<database>)')
    const shown = new URL(text)
    if (shown.password !== '') shown.password = '***'
    return { kind: 'postgres', connectionString: text, description: shown.toString() }
  }
  throw new ConfigError(STORE_URL_VARIABLE, `unsupported form "${text.replace(/:\/\/[^@/]*@/, '://***@').slice(0, 80)}"; expected ${FORMS}`)
}
