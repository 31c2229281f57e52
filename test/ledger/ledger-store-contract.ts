import type { Test } from 'tap'
import { fixedClock } from '../../src/clock.js'
import {
  LedgerStore, LedgerValueError, LedgerWriteError, type LedgerDriver, type LedgerQueryable, type SettledCallWrite
} from '../../src/ledger/index.js'
import type { LedgerBackend } from './support/ledger-backends.js'
import { HOUR, NOVEMBER_FIRST, bucketRecords, hourlyBuckets } from './support/ledger-fixtures.js'

/** What every ledger backend must do, run against each by ledger-store.test.ts. */
export async function ledgerStoreContract (t: Test, backend: LedgerBackend): Promise<void> {
  const clock = fixedClock(NOVEMBER_FIRST + 100 * HOUR)
  const store = await backend.open(clock)
  t.teardown(async () => { await store.close() })
  const write = (sourceId: string, buckets: SettledCallWrite['buckets'], fetchedAt = clock.now(), variant = 'hour|all') =>
    store.writeSettled({ sourceId, variant, fetchedAt, requestId: `request-${fetchedAt}`, buckets })

  t.test('a written bucket is covered with its records; a covered bucket without records is a zero; others are absent', async t => {
    const buckets = hourlyBuckets(NOVEMBER_FIRST, 3, 4)
    buckets[1] = { ...buckets[1]!, records: [] }
    const result = await write('covered', buckets)
    t.same(result.added, buckets.map(bucket => bucket.start))
    t.same(result.restated, [])
    const read = await store.readRange({ sourceId: 'covered', variant: 'hour|all', from: NOVEMBER_FIRST - HOUR, to: NOVEMBER_FIRST + 5 * HOUR })
    t.same(read.map(bucket => bucket.start), [NOVEMBER_FIRST, NOVEMBER_FIRST + HOUR, NOVEMBER_FIRST + 2 * HOUR])
    t.equal(read[1]!.records.length, 0, 'covered, reported zero')
    t.equal(read[0]!.records.length, 4)
    t.same(sortRecords(read[0]!.records), sortRecords(buckets[0]!.records as typeof read[0]['records']))
    t.equal(read[0]!.requestId, `request-${clock.now()}`)
    t.equal(read[0]!.fetchedAt, clock.now())
    t.equal(read[0]!.revision, 1)
    t.equal(read[0]!.restated, false)
    t.same(await store.readRange({ sourceId: 'covered', variant: 'hour|other', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 5 * HOUR }), [], 'another variant is not covered')
    t.same(await store.readRange({ sourceId: 'other', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 5 * HOUR }), [], 'another source is not covered')
  })

  t.test('a range read returns only buckets wholly inside [from, to)', async t => {
    await write('inside', hourlyBuckets(NOVEMBER_FIRST, 4, 1))
    const read = await store.readRange({ sourceId: 'inside', variant: 'hour|all', from: NOVEMBER_FIRST + HOUR, to: NOVEMBER_FIRST + 3 * HOUR })
    t.same(read.map(bucket => bucket.start), [NOVEMBER_FIRST + HOUR, NOVEMBER_FIRST + 2 * HOUR])
    const partial = await store.readRange({ sourceId: 'inside', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + HOUR / 2 })
    t.same(partial, [], 'a bucket sticking out of the range is not returned')
  })

  t.test('rewriting identical records (any order) changes nothing; different records add a revision, old ones stay readable', async t => {
    const first = hourlyBuckets(NOVEMBER_FIRST, 3, 3)
    const firstAt = clock.now()
    await write('revisions', first)
    clock.set(firstAt + HOUR)
    const shuffled = first.map(bucket => ({
      ...bucket,
      records: [...bucket.records].reverse().map(record => ({ ...record, dimensions: Object.fromEntries(Object.entries(record.dimensions).reverse()) }))
    }))
    const again = await write('revisions', shuffled)
    t.same(again.added, [])
    t.same(again.restated, [])
    t.equal(again.unchanged, 3)
    t.same(again.buckets.map(bucket => bucket.outcome), ['unchanged', 'unchanged', 'unchanged'])
    const unchangedRead = await store.readRange({ sourceId: 'revisions', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 3 * HOUR })
    t.same(unchangedRead.map(bucket => [bucket.revision, bucket.recordedAt, bucket.fetchedAt]), [[1, firstAt, firstAt], [1, firstAt, firstAt], [1, firstAt, firstAt]], 'the first revision is kept as it was')

    clock.set(firstAt + 2 * HOUR)
    const restatedAt = clock.now()
    const changed = first.map((bucket, index) => index === 1 ? { ...bucket, records: bucketRecords(2, 999) } : bucket)
    const restatement = await write('revisions', changed)
    t.same(restatement.restated, [NOVEMBER_FIRST + HOUR])
    t.same(restatement.buckets.map(bucket => bucket.outcome), ['unchanged', 'restated', 'unchanged'])
    t.equal(restatement.buckets[1]!.revision, 2)

    const latest = await store.readRange({ sourceId: 'revisions', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 3 * HOUR })
    t.same(latest.map(bucket => bucket.restated), [false, true, false])
    t.same(sortRecords(latest[1]!.records), sortRecords(bucketRecords(2, 999) as typeof latest[1]['records']))
    t.equal(latest[1]!.recordedAt, restatedAt)

    const before = await store.readRange({ sourceId: 'revisions', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 3 * HOUR, asOf: restatedAt - 1 })
    t.same(before.map(bucket => bucket.restated), [false, false, false], 'as of before the restatement nothing was restated')
    t.same(sortRecords(before[1]!.records), sortRecords(first[1]!.records as typeof before[1]['records']), 'and the first revision is what was known')
    t.same(await store.readRange({ sourceId: 'revisions', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 3 * HOUR, asOf: firstAt - 1 }), [],
      'buckets first covered after as-of are uncovered')
    const atRestatement = await store.readRange({ sourceId: 'revisions', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 3 * HOUR, asOf: restatedAt })
    t.equal(atRestatement[1]!.revision, 2, 'a revision recorded exactly at as-of is known')

    clock.set(firstAt + 3 * HOUR)
    const back = await write('revisions', first)
    t.same(back.restated, [NOVEMBER_FIRST + HOUR], 'going back to the first records is a restatement too')
    const final = await store.readRange({ sourceId: 'revisions', variant: 'hour|all', from: NOVEMBER_FIRST + HOUR, to: NOVEMBER_FIRST + 2 * HOUR })
    t.equal(final[0]!.revision, 3)
    t.equal(final[0]!.restated, true)
  })

  t.test('values are exact 64-bit integers: past 2^53 they are stored but refused on read as a number', async t => {
    const start = NOVEMBER_FIRST
    await write('exact', [{ start, end: start + HOUR, records: [{ metric: 'm', dimensions: {}, value: Number.MAX_SAFE_INTEGER, unit: 'second' }] }])
    const [safe] = await store.readRange({ sourceId: 'exact', variant: 'hour|all', from: start, to: start + HOUR })
    t.equal(safe!.records[0]!.value, Number.MAX_SAFE_INTEGER)
    await write('exact-big', [{ start, end: start + HOUR, records: [{ metric: 'm', dimensions: {}, value: 2n ** 62n + 1n, unit: 'second' }] }])
    await t.rejects(store.readRange({ sourceId: 'exact-big', variant: 'hour|all', from: start, to: start + HOUR }), LedgerValueError)
    await t.rejects(write('exact-bad', [{ start, end: start + HOUR, records: [{ metric: 'm', dimensions: {}, value: 2 ** 53 + 2, unit: 'second' }] }]), LedgerWriteError)
    await t.rejects(write('exact-bad', [{ start, end: start + HOUR, records: [{ metric: 'm', dimensions: {}, value: 2n ** 63n, unit: 'second' }] }]), LedgerWriteError)
    await t.rejects(write('exact-bad', [{ start, end: start + HOUR, records: [{ metric: 'm', dimensions: {}, value: 1.5, unit: 'second' }] }]), LedgerWriteError)
    t.same(await store.readRange({ sourceId: 'exact-bad', variant: 'hour|all', from: start, to: start + HOUR }), [])
  })

  t.test('a write that fails midway leaves every bucket of the batch uncovered', async t => {
    const buckets = hourlyBuckets(NOVEMBER_FIRST, 3, 2)
    // PostgreSQL refuses a NUL character in jsonb: the records statement fails after the revisions were inserted.
    buckets[1] = { ...buckets[1]!, records: [{ metric: 'm', dimensions: { tier: 'bad\u0000' }, value: 1, unit: 'second' }] }
    await t.rejects(write('atomic', buckets))
    t.same(await store.readRange({ sourceId: 'atomic', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 3 * HOUR }), [])

    const failing = new LedgerStore({ driver: failingOnRecords(store.driver), schema: store.schema, clock })
    await t.rejects(failing.writeSettled({ sourceId: 'atomic', variant: 'hour|all', fetchedAt: 1, requestId: null, buckets: hourlyBuckets(NOVEMBER_FIRST, 3, 2) }), /injected/)
    t.same(await store.readRange({ sourceId: 'atomic', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 3 * HOUR }), [])
    t.same(await store.verify(), [])
    const later = await write('atomic', hourlyBuckets(NOVEMBER_FIRST, 3, 2))
    t.equal(later.added.length, 3, 'the same buckets are written whole afterwards')
  })

  t.test('inexact writes are refused before anything is stored', async t => {
    const [bucket] = hourlyBuckets(NOVEMBER_FIRST, 1, 1)
    await t.rejects(write('refused', [bucket!, bucket!]), LedgerWriteError, 'a bucket twice in one write')
    await t.rejects(write('refused', [{ ...bucket!, records: [bucket!.records[0]!, bucket!.records[0]!] }]), LedgerWriteError, 'a record twice in one bucket')
    await t.rejects(write('refused', [{ start: 10, end: 10, records: [] }]), LedgerWriteError, 'an empty bucket')
    await write('refused', [bucket!])
    await t.rejects(write('refused', [{ ...bucket!, end: bucket!.start + 2 * HOUR }]), /stored ending at/, 'the same start with another end')
  })

  t.test('concurrent identical writes on one store make one revision and no error', async t => {
    const buckets = hourlyBuckets(NOVEMBER_FIRST, 20, 3)
    const results = await Promise.all([write('concurrent', buckets), write('concurrent', buckets), write('concurrent', buckets)])
    t.equal(results.reduce((sum, result) => sum + result.added.length, 0), 20)
    const read = await store.readRange({ sourceId: 'concurrent', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 20 * HOUR })
    t.same(read.map(bucket => bucket.revision), Array(20).fill(1))
  })

  t.test('status tells per source the covered span, counts and last write', async t => {
    clock.set(NOVEMBER_FIRST + 500 * HOUR)
    await write('status-a', hourlyBuckets(NOVEMBER_FIRST, 5, 1))
    await write('status-a', hourlyBuckets(NOVEMBER_FIRST + 10 * HOUR, 2, 1), clock.now(), 'hour|tier')
    clock.set(NOVEMBER_FIRST + 501 * HOUR)
    await write('status-a', hourlyBuckets(NOVEMBER_FIRST, 1, 2, 77))
    const [status] = await store.status(['status-a'])
    t.same(status, {
      sourceId: 'status-a',
      oldestBucketStart: NOVEMBER_FIRST,
      newestBucketStart: NOVEMBER_FIRST + 11 * HOUR,
      newestBucketEnd: NOVEMBER_FIRST + 12 * HOUR,
      buckets: 7,
      restatedBuckets: 1,
      variants: 2,
      lastWriteAt: NOVEMBER_FIRST + 501 * HOUR
    })
    t.same(await store.status(['nothing-here']), [])
    const listed = (await store.status()).map(entry => entry.sourceId)
    t.ok(listed.includes('status-a'), 'listed without a filter', { found: listed })
  })

  t.test('sync state keeps the last attempt, success and error per source', async t => {
    t.equal(await store.syncState('sync-a'), null)
    await store.recordSyncFailure('sync-a', 'UPSTREAM_THROTTLED', 1000)
    await store.recordSyncSuccess('sync-a', 2000)
    t.same(await store.syncState('sync-a'), { sourceId: 'sync-a', lastAttemptAt: 2000, lastSuccessAt: 2000, lastError: 'UPSTREAM_THROTTLED', lastErrorAt: 1000 })
    await store.recordSyncFailure('sync-a', 'UPSTREAM_NETWORK', 3000)
    t.same(await store.syncState('sync-a'), { sourceId: 'sync-a', lastAttemptAt: 3000, lastSuccessAt: 2000, lastError: 'UPSTREAM_NETWORK', lastErrorAt: 3000 })
    const listed = (await store.syncStates()).map(state => state.sourceId)
    t.ok(listed.includes('sync-a'), 'listed with the others', { found: listed })
  })

  t.test('an exclusive lock is refused while held and free again after', async t => {
    const outer = await store.withExclusiveLock('sync', async () => {
      t.equal(await store.withExclusiveLock('sync', async () => 'inner'), null, 'held: refused at once')
      t.same(await store.withExclusiveLock('another', async () => 'other'), { value: 'other' }, 'another name is independent')
      return 'outer'
    })
    t.same(outer, { value: 'outer' })
    t.same(await store.withExclusiveLock('sync', async () => null), { value: null }, 'released after the holder finished')
    await t.rejects(store.withExclusiveLock('sync', async () => { throw new Error('work failed') }), /work failed/)
    t.same(await store.withExclusiveLock('sync', async () => 1), { value: 1 }, 'released after the holder failed')
  })
}

function sortRecords<Record extends { metric: string, dimensions: object }> (records: Record[]): Record[] {
  const key = (record: Record) => record.metric + JSON.stringify(Object.entries(record.dimensions).sort())
  return [...records].sort((left, right) => key(left) < key(right) ? -1 : 1)
}

/** The same driver, except that storing records fails inside the write's transaction. */
function failingOnRecords (driver: LedgerDriver): LedgerDriver {
  const failing = (queryable: LedgerQueryable): LedgerQueryable => ({
    query: async (sql, parameters) => {
      if (sql.includes('INSERT INTO') && sql.includes('ledger_records')) throw new Error('injected failure while storing records')
      return await queryable.query(sql, parameters)
    }
  })
  return { ...driver, ...failing(driver), transaction: async work => await driver.transaction(async transaction => await work(failing(transaction))) }
}
