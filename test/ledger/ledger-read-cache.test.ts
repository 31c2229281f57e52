import t, { type Test } from 'tap'
import { fixedClock } from '../../src/clock.js'
import { LedgerStore, type LedgerRangeRead } from '../../src/ledger/index.js'
import { forEachBackend } from './support/ledger-backends.js'
import { HOUR, NOVEMBER_FIRST, bucketRecords, hourlyBuckets } from './support/ledger-fixtures.js'

// Range reads are served from an in-process cache while the store holds the same revision rows for the range; every
// answer is checked against a store on the same database that caches nothing.
forEachBackend(t, { pgliteDir: false }, async (t, backend) => {
  const clock = fixedClock(NOVEMBER_FIRST + 100 * HOUR)
  const store = await backend.open(clock)
  t.teardown(async () => { await store.close() })
  const uncached = new LedgerStore({ driver: store.driver, schema: backend.schema, clock, cachedRecords: 0 })
  const sameAsUncached = async (t: Test, read: LedgerRangeRead, label: string) => {
    const answer = await store.readRange(read)
    t.same(answer, await uncached.readRange(read), label)
    return answer
  }
  const range = { sourceId: 'cached', variant: 'hour|all', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 4 * HOUR }

  t.test('a repeated read is the cached answer; a restatement and a new bucket are read at once; as-of reads keep their instant', async t => {
    await store.writeSettled({ sourceId: 'cached', variant: 'hour|all', fetchedAt: clock.now(), requestId: 'first', buckets: hourlyBuckets(NOVEMBER_FIRST, 3, 4) })
    const firstAt = clock.now()
    const first = await sameAsUncached(t, range, 'first read')
    t.equal(await store.readRange(range), first, 'the same range read again is served from the cache')
    t.throws(() => { (first[0]!.records[0]!.dimensions as Record<string, string>).tier = 'changed' }, TypeError, 'cached answers are frozen: no caller can change what others read')

    clock.set(clock.now() + HOUR)
    const restatedAt = clock.now()
    await store.writeSettled({
      sourceId: 'cached',
      variant: 'hour|all',
      fetchedAt: restatedAt,
      requestId: 'restated',
      buckets: [{ start: NOVEMBER_FIRST + HOUR, end: NOVEMBER_FIRST + 2 * HOUR, records: bucketRecords(4, 99) }]
    })
    const afterRestatement = await sameAsUncached(t, range, 'after a restatement')
    t.equal(afterRestatement[1]!.revision, 2, 'the new revision is read, not the cached one')
    t.equal(afterRestatement[1]!.requestId, 'restated')

    const before = await sameAsUncached(t, { ...range, asOf: firstAt }, 'as of before the restatement')
    t.equal(before[1]!.revision, 1, 'as of before the restatement: the first revision')
    t.same(before, first, 'as of then: the answer first given, byte for byte')
    t.equal(await store.readRange({ ...range, asOf: firstAt }), before, 'an as-of read is cached too')
    t.equal((await sameAsUncached(t, { ...range, asOf: restatedAt }, 'as of the restatement'))[1]!.revision, 2)

    clock.set(clock.now() + HOUR)
    await store.writeSettled({ sourceId: 'cached', variant: 'hour|all', fetchedAt: clock.now(), requestId: 'added', buckets: hourlyBuckets(NOVEMBER_FIRST + 3 * HOUR, 1, 2) })
    const afterAdding = await sameAsUncached(t, range, 'after a bucket was added')
    t.equal(afterAdding.length, 4, 'the added bucket is read')
    t.same(await sameAsUncached(t, { ...range, asOf: restatedAt }, 'as of before the addition'), await uncached.readRange({ ...range, asOf: restatedAt }))
    t.equal((await store.readRange({ ...range, asOf: restatedAt })).length, 3, 'as of before the addition: without it')
  })

  t.test('an identical rewrite changes nothing, and the cached answer stays', async t => {
    const read = { ...range, sourceId: 'unchanged' }
    const buckets = hourlyBuckets(NOVEMBER_FIRST, 2, 3)
    await store.writeSettled({ sourceId: 'unchanged', variant: 'hour|all', fetchedAt: clock.now(), requestId: null, buckets })
    const first = await sameAsUncached(t, read, 'first read')
    const result = await store.writeSettled({ sourceId: 'unchanged', variant: 'hour|all', fetchedAt: clock.now(), requestId: null, buckets })
    t.equal(result.unchanged, 2)
    t.equal(await store.readRange(read), first, 'nothing was written: still served from the cache')
  })

  t.test('after a write, and for another range, only revisions not read before are fetched; the rest are reused', async t => {
    const read = { ...range, sourceId: 'revisions' }
    await store.writeSettled({ sourceId: 'revisions', variant: 'hour|all', fetchedAt: clock.now(), requestId: null, buckets: hourlyBuckets(NOVEMBER_FIRST, 3, 3) })
    const first = await sameAsUncached(t, read, 'first read')
    clock.set(clock.now() + HOUR)
    await store.writeSettled({
      sourceId: 'revisions',
      variant: 'hour|all',
      fetchedAt: clock.now(),
      requestId: null,
      buckets: [{ start: NOVEMBER_FIRST + 2 * HOUR, end: NOVEMBER_FIRST + 3 * HOUR, records: bucketRecords(3, 77) }]
    })
    const second = await sameAsUncached(t, read, 'after a restatement')
    t.equal(second[0]!.records, first[0]!.records, 'an unchanged revision\'s records are the ones read before')
    t.not(second[2]!.records, first[2]!.records, 'the restated bucket\'s new revision is read')
    t.equal(second[2]!.revision, 2)
    const sliding = await sameAsUncached(t, { ...read, from: NOVEMBER_FIRST + HOUR, to: NOVEMBER_FIRST + 5 * HOUR }, 'another range')
    t.equal(sliding[0]!.records, first[1]!.records, 'another range reuses the revisions it shares')
  })

  if (backend.name === 'postgres') {
    t.test('another replica\'s restatement and new bucket are read at once', async t => {
      const other = await backend.open(clock)
      t.teardown(async () => { await other.close() })
      const read = { ...range, sourceId: 'replicas' }
      await store.writeSettled({ sourceId: 'replicas', variant: 'hour|all', fetchedAt: clock.now(), requestId: 'a', buckets: hourlyBuckets(NOVEMBER_FIRST, 2, 3) })
      await sameAsUncached(t, read, 'cached in this replica')
      clock.set(clock.now() + HOUR)
      await other.writeSettled({
        sourceId: 'replicas',
        variant: 'hour|all',
        fetchedAt: clock.now(),
        requestId: 'b',
        buckets: [{ start: NOVEMBER_FIRST, end: NOVEMBER_FIRST + HOUR, records: bucketRecords(3, 42) }, ...hourlyBuckets(NOVEMBER_FIRST + 2 * HOUR, 1, 1)]
      })
      const after = await sameAsUncached(t, read, 'after the other replica wrote')
      t.same(after.map(bucket => [bucket.revision, bucket.requestId]), [[2, 'b'], [1, 'a'], [1, 'b']])
    })
  }
})
