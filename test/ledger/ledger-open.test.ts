import t from 'tap'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  LATEST_SCHEMA_VERSION, LedgerSchemaTooNewError, LedgerUnavailableError, isLedgerUnavailable, openLedgerStore, parseStoreUrl
} from '../../src/ledger/index.js'
import { forEachBackend } from './support/ledger-backends.js'
import { HOUR, NOVEMBER_FIRST, hourlyBuckets } from './support/ledger-fixtures.js'

forEachBackend(t, { memory: false }, async (t, backend) => {
  t.test('what was written is there after closing and reopening', async t => {
    const first = await backend.open()
    await first.writeSettled({ sourceId: 'kept', variant: 'v', fetchedAt: 5, requestId: 'r', buckets: hourlyBuckets(NOVEMBER_FIRST, 3, 2) })
    await first.close()
    const second = await backend.open()
    t.teardown(async () => { await second.close() })
    const read = await second.readRange({ sourceId: 'kept', variant: 'v', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 3 * HOUR })
    t.equal(read.length, 3)
    t.equal(read[2]!.records.length, 2)
    const again = await second.writeSettled({ sourceId: 'kept', variant: 'v', fetchedAt: 6, requestId: 'r2', buckets: hourlyBuckets(NOVEMBER_FIRST, 3, 2) })
    t.equal(again.unchanged, 3, 'identical after reopening')
  })

  t.test('a store migrated by a newer service is refused, naming both versions', async t => {
    const store = await backend.open()
    await store.driver.query(`UPDATE "${backend.schema}".ledger_meta SET value = '99' WHERE key = 'schema_version'`)
    await store.close()
    const refusal = await backend.open().then(async opened => { await opened.close(); return null }, (error: unknown) => error)
    t.ok(refusal instanceof LedgerSchemaTooNewError)
    t.match((refusal as Error).message, new RegExp(`schema version 99.*up to ${LATEST_SCHEMA_VERSION}`))
    const repair = await backend.open().catch(() => null)
    t.equal(repair, null, 'still refused: nothing was changed by the refused open')
  })
})

forEachBackend(t, { memory: false, pgliteDir: false }, async (t, backend) => {
  t.test('replicas opening a new store at once migrate it once, without error', async t => {
    const stores = await Promise.all([backend.open(), backend.open(), backend.open()])
    t.teardown(async () => { for (const store of stores) await store.close() })
    const rows = await stores[0]!.driver.query<{ value: string }>(`SELECT value FROM "${backend.schema}".ledger_meta WHERE key = 'schema_version'`)
    t.same(rows, [{ value: String(LATEST_SCHEMA_VERSION) }])
  })
})

t.test('an unreachable PostgreSQL is LedgerUnavailableError', async t => {
  const refusal = await openLedgerStore({ location: parseStoreUrl('postgres://postgres@127.0.0.1:1/test'), connectTimeoutMs: 2000 }).catch((error: unknown) => error)
  t.ok(refusal instanceof LedgerUnavailableError)
  t.match((refusal as Error).message, /usage ledger at postgres:\/\/postgres@127\.0\.0\.1:1\/test is unavailable/)
  t.ok(isLedgerUnavailable(refusal))
  t.equal((refusal as LedgerUnavailableError).code, 'LEDGER_UNAVAILABLE', 'callers match on the code')
  t.equal((refusal as Error).name, 'LedgerUnavailableError')
})

t.test('an unusable PGlite directory is LedgerUnavailableError', async t => {
  const directory = await mkdtemp(join(tmpdir(), 'usage-ledger-file-'))
  t.teardown(async () => { await rm(directory, { recursive: true, force: true }) })
  await writeFile(join(directory, 'not-a-directory'), 'x')
  const refusal = await openLedgerStore({ location: parseStoreUrl(`pglite:${join(directory, 'not-a-directory')}`) }).catch((error: unknown) => error)
  t.ok(refusal instanceof LedgerUnavailableError)
})

t.test('a PGlite directory is created when missing, parents included', async t => {
  const directory = await mkdtemp(join(tmpdir(), 'usage-ledger-new-'))
  t.teardown(async () => { await rm(directory, { recursive: true, force: true }) })
  const store = await openLedgerStore({ location: parseStoreUrl('pglite:./a/b/ledger', directory) })
  t.teardown(async () => { await store.close() })
  t.same(await store.status(), [])
})

t.test('a closed store answers LedgerUnavailableError', async t => {
  const store = await openLedgerStore({ location: parseStoreUrl('memory:') })
  await store.close()
  await t.rejects(store.readRange({ sourceId: 's', variant: 'v', from: 0, to: HOUR }), LedgerUnavailableError)
})
