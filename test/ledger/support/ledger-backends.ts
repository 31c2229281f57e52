import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'
import { fixedClock, type Clock } from '../../../src/clock.js'
import { openLedgerStore, parseStoreUrl, type LedgerStore } from '../../../src/ledger/index.js'

export const POSTGRES_URL = process.env.USAGE_TEST_POSTGRES_URL ?? ''
export const POSTGRES_SKIP_MESSAGE = 'SKIPPED: PostgreSQL ledger tests (set USAGE_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test)'

/** One place the ledger can live, opened fresh for a test file; `reopen` opens the same data again. */
export interface LedgerBackend {
  name: 'memory' | 'pglite-dir' | 'postgres'
  url: string
  schema: string
  persistent: boolean
  open(clock?: Clock): Promise<LedgerStore>
  /** Removes what the backend left behind (directory, schema). */
  dispose(): Promise<void>
}

export function memoryBackend (): LedgerBackend {
  return {
    name: 'memory',
    url: 'memory:',
    schema: 'usage_ledger',
    persistent: false,
    open: async (clock = fixedClock(0)) => await openLedgerStore({ location: parseStoreUrl('memory:'), clock }),
    dispose: async () => {}
  }
}

export async function pgliteDirBackend (): Promise<LedgerBackend> {
  const directory = await mkdtemp(join(tmpdir(), 'usage-ledger-test-'))
  const url = `pglite:${join(directory, 'ledger')}`
  return {
    name: 'pglite-dir',
    url,
    schema: 'usage_ledger',
    persistent: true,
    open: async (clock = fixedClock(0)) => await openLedgerStore({ location: parseStoreUrl(url), clock }),
    dispose: async () => { await rm(directory, { recursive: true, force: true }) }
  }
}

/** A unique schema per test file: tap runs files in parallel against the one test database. */
export function postgresBackend (): LedgerBackend {
  const schema = `ledger_test_${randomBytes(6).toString('hex')}`
  return {
    name: 'postgres',
    url: POSTGRES_URL,
    schema,
    persistent: true,
    open: async (clock = fixedClock(0)) => await openLedgerStore({ location: parseStoreUrl(POSTGRES_URL), schema, clock }),
    dispose: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL })
      await client.connect()
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      } finally {
        await client.end()
      }
    }
  }
}

/**
 * Runs `suite` once per backend: memory always, a PGlite directory when `persistent` backends are wanted,
 * PostgreSQL when USAGE_TEST_POSTGRES_URL is set (and says loudly that it did not otherwise).
 */
export function forEachBackend (t: Test, options: { memory?: boolean, pgliteDir?: boolean, postgres?: boolean }, suite: (t: Test, backend: LedgerBackend) => Promise<void>): void {
  const makers: Array<() => Promise<LedgerBackend> | LedgerBackend> = []
  if (options.memory ?? true) makers.push(memoryBackend)
  if (options.pgliteDir ?? true) makers.push(pgliteDirBackend)
  if (options.postgres ?? true) {
    if (POSTGRES_URL === '') {
      t.comment(POSTGRES_SKIP_MESSAGE)
      t.test(`postgres: ${POSTGRES_SKIP_MESSAGE}`, { skip: POSTGRES_SKIP_MESSAGE }, () => {})
    } else {
      makers.push(postgresBackend)
    }
  }
  for (const make of makers) {
    const nameHint = make === memoryBackend ? 'memory' : make === pgliteDirBackend ? 'pglite-dir' : 'postgres'
    t.test(nameHint, async backendTest => {
      const backend = await make()
      backendTest.teardown(async () => { await backend.dispose() })
      await suite(backendTest, backend)
    })
  }
}
