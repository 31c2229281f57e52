import t from 'tap'
import { forEachBackend } from './support/ledger-backends.js'
import { HOUR, NOVEMBER_FIRST, bucketRecords, hourlyBuckets } from './support/ledger-fixtures.js'

// Two stores over two pools are two replicas: they race for the same buckets and the same lock.
forEachBackend(t, { memory: false, pgliteDir: false }, async (t, backend) => {
  const replicaA = await backend.open()
  const replicaB = await backend.open()
  t.teardown(async () => { await replicaA.close(); await replicaB.close() })

  t.test('both write the same buckets at once: one revision, no error to either, many rounds', async t => {
    for (let round = 0; round < 25; round++) {
      const buckets = hourlyBuckets(NOVEMBER_FIRST + round * 100 * HOUR, 8, 5, round)
      const write = { sourceId: 'race', variant: 'v', fetchedAt: round, requestId: null, buckets }
      const [a, b] = await Promise.all([replicaA.writeSettled(write), replicaB.writeSettled(write)])
      t.equal(a.added.length + b.added.length, 8, `round ${round}: each bucket added by exactly one replica`)
      t.equal(a.unchanged + b.unchanged, 8, `round ${round}: and found unchanged by the other`)
    }
    const read = await replicaA.readRange({ sourceId: 'race', variant: 'v', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + 2500 * HOUR })
    t.equal(read.length, 200)
    t.same(read.filter(bucket => !(bucket.revision === 1 && bucket.records.length === 5)), [])
    t.same(await replicaA.verify(), [])
  })

  t.test('both restate the same bucket differently at once: two revisions in some order, none lost', async t => {
    for (let round = 0; round < 10; round++) {
      const start = NOVEMBER_FIRST + round * HOUR
      await replicaA.writeSettled({ sourceId: 'restate-race', variant: 'v', fetchedAt: 1, requestId: null, buckets: [{ start, end: start + HOUR, records: bucketRecords(2, 1) }] })
      const [a, b] = await Promise.all([
        replicaA.writeSettled({ sourceId: 'restate-race', variant: 'v', fetchedAt: 2, requestId: 'a', buckets: [{ start, end: start + HOUR, records: bucketRecords(2, 2) }] }),
        replicaB.writeSettled({ sourceId: 'restate-race', variant: 'v', fetchedAt: 2, requestId: 'b', buckets: [{ start, end: start + HOUR, records: bucketRecords(2, 3) }] })
      ])
      t.same([a.buckets[0]!.revision, b.buckets[0]!.revision].sort(), [2, 3], `round ${round}`)
      const [latest] = await replicaB.readRange({ sourceId: 'restate-race', variant: 'v', from: start, to: start + HOUR })
      t.equal(latest!.revision, 3)
      t.equal(latest!.requestId, a.buckets[0]!.revision === 3 ? 'a' : 'b', 'the later revision is the one read')
    }
  })

  t.test('one replica at a time holds the lock', async t => {
    let release!: () => void
    let acquired!: () => void
    const held = new Promise<void>(resolve => { release = resolve })
    const holding = new Promise<void>(resolve => { acquired = resolve })
    const holder = replicaA.withExclusiveLock('sync', async () => { acquired(); await held; return 'a' })
    await holding
    const refused = await replicaB.withExclusiveLock('sync', async () => 'b')
    t.equal(refused, null, 'the other replica is refused while it is held')
    release()
    t.same(await holder, { value: 'a' })
    t.same(await replicaB.withExclusiveLock('sync', async () => 'b'), { value: 'b' }, 'and gets it once released')
  })
})
