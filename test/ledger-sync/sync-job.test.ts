import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { SYNC_LOCK_NAME } from '../../src/ledger-sync/sync-job.js'
import { forEachBackend } from '../ledger/support/ledger-backends.js'
import { DAY, HOUR, NOW, bucketSums, expectedHourSeconds, startProducerHarness, syncJob } from './support/producer-harness.js'

/** Hourly, 4 h settle delay, 90-day lookback (with the planner's 5-minute margin): what the ledger may hold at NOW. */
const SETTLED_TO = Date.parse('2026-11-20T06:00:00Z')
const OLDEST = Math.ceil((NOW - 90 * DAY + 5 * 60_000) / HOUR) * HOUR

forEachBackend(t, { pgliteDir: false }, async (t, backend) => {
  // One store for the file (opening PGlite is slow); each test syncs a source of its own, on the one pinned clock
  // the store, the runtime and the simulator share (each test sets it back to NOW).
  const clock = fixedClock(NOW)
  const store = await backend.open(clock)
  t.teardown(() => store.close())
  t.test('first run: every settled bucket of the base variant back to the lookback, exactly the simulator\'s; nothing provisional', async t => {
    const harness = await startProducerHarness(t, { clock, sourceId: 'first' })
    const { job, metrics } = syncJob(harness, store)
    const variant = harness.target.variants[0]!.key

    const report = await job.runOnce()
    t.not(report, 'locked_elsewhere')
    if (report === 'locked_elsewhere') return
    t.equal(report.result, 'completed')
    const buckets = await store.readRange({ sourceId: harness.sourceId, variant, from: 0, to: NOW + DAY })
    t.equal(buckets.length, (SETTLED_TO - OLDEST) / HOUR, 'one bucket per settled hour of the lookback')
    t.equal(buckets[0]?.start, OLDEST, 'back to the oldest hour the provider still answers')
    t.equal(buckets.at(-1)?.end, SETTLED_TO, 'up to the last settled hour, none inside the data delay')
    t.same(buckets.filter((bucket, index) => bucket.start !== OLDEST + index * HOUR || bucket.end !== bucket.start + HOUR), [], 'contiguous hours')
    const sums = bucketSums(buckets)
    t.same([...sums].filter(([hour, seconds]) => seconds !== expectedHourSeconds(hour)), [], 'every hour holds exactly the simulator\'s seconds')
    t.equal(harness.simulator.stats.count(), 4, 'the recheck window (3 days), then 87 days of gaps in 31-day windows')
    t.equal((await metrics.buckets.get()).values.find(value => value.labels.outcome === 'new')?.value, buckets.length)
    const state = await store.syncState(harness.sourceId)
    t.equal(state?.lastSuccessAt, NOW)
    t.equal(state?.lastError, null)
  })

  t.test('later runs: the new settled hours, and one recheck call for the recent days', async t => {
    const harness = await startProducerHarness(t, { clock, sourceId: 'later' })
    const { job } = syncJob(harness, store)
    const variant = harness.target.variants[0]!.key
    await job.runOnce()
    harness.simulator.stats.reset()

    const again = await job.runOnce()
    t.match(again, { result: 'completed', sources: [{ added: 0, restated: 0, unchanged: 72 }] }, 'the same instant: three days rechecked, nothing new')
    t.equal(harness.simulator.stats.count(), 1)

    harness.clock.set(NOW + 3 * HOUR)
    harness.simulator.stats.reset()
    const later = await job.runOnce()
    t.match(later, { result: 'completed', sources: [{ added: 3, restated: 0 }] }, 'three more hours settled')
    t.equal(harness.simulator.stats.count(), 1)
    const newest = await store.readRange({ sourceId: harness.sourceId, variant, from: SETTLED_TO, to: NOW + DAY })
    t.same(newest.map(bucket => bucket.start), [SETTLED_TO, SETTLED_TO + HOUR, SETTLED_TO + 2 * HOUR])
  })

  t.test('a gap left by a failed run is filled by the next one', async t => {
    const harness = await startProducerHarness(t, { clock, sourceId: 'gap', retryAttempts: 1 })
    const { job, metrics } = syncJob(harness, store)
    const variant = harness.target.variants[0]!.key
    // The recheck window succeeds, the next (older) window fails: the run stops there.
    harness.simulator.faults.inject({ kind: 'server-error' }, 1)
    const failed = await job.runOnce()
    t.match(failed, { result: 'failed', sources: [{ sourceId: harness.sourceId, error: /UPSTREAM_SERVER/ }] })
    const state = await store.syncState(harness.sourceId)
    t.match(state, { lastSuccessAt: null, lastErrorAt: NOW, lastError: /UPSTREAM_SERVER/ })
    t.equal((await metrics.errors.get()).values[0]?.value, 1)

    const recovered = await job.runOnce()
    t.match(recovered, { result: 'completed' })
    const buckets = await store.readRange({ sourceId: harness.sourceId, variant, from: 0, to: NOW + DAY })
    t.equal(buckets.length, (SETTLED_TO - OLDEST) / HOUR, 'whole again')
    t.same(buckets.filter(bucket => bucket.revision !== 1), [], 'nothing written twice')
    t.match(await store.syncState(harness.sourceId), { lastSuccessAt: NOW, lastError: /UPSTREAM_SERVER/ }, 'the last error is kept beside the later success')
  })

  t.test('a restated hour inside the recheck window: a new revision, logged; the old one kept for as-of reads', async t => {
    const harness = await startProducerHarness(t, { clock, sourceId: 'restate' })
    const { job, logger, metrics } = syncJob(harness, store)
    const variant = harness.target.variants[0]!.key
    await job.runOnce()

    const hour = SETTLED_TO - 30 * HOUR
    const before = expectedHourSeconds(hour)
    harness.restatements.restate(7, 'a17d0184-462d-4630-b2a6-8c26dde20001', hour, 'OutputHdDuration')
    const old = SETTLED_TO - 10 * DAY
    harness.restatements.restate(5, 'a17d0184-462d-4630-b2a6-8c26dde20001', old, 'OutputHdDuration')
    harness.clock.set(NOW + 60_000)
    const report = await job.runOnce()
    t.match(report, { result: 'completed', sources: [{ restated: 1, added: 0 }] })

    const [latest] = await store.readRange({ sourceId: harness.sourceId, variant, from: hour, to: hour + HOUR })
    t.equal(latest?.revision, 2)
    t.equal(latest?.restated, true)
    t.equal(bucketSums([latest!]).get(hour), before + 7 * 60, 'the provider\'s new value')
    const [asBefore] = await store.readRange({ sourceId: harness.sourceId, variant, from: hour, to: hour + HOUR, asOf: NOW })
    t.equal(bucketSums([asBefore!]).get(hour), before, 'as of before the recheck: the old value')
    const [outside] = await store.readRange({ sourceId: harness.sourceId, variant, from: old, to: old + HOUR })
    t.equal(outside?.revision, 1, 'older than the recheck window: not asked again (verify finds it)')

    const line = logger.lines.find(entry => entry.object.ledgerRestatement !== undefined)
    t.match(line, { level: 'warn', object: { ledgerRestatement: { source: harness.sourceId, buckets: [{ start: new Date(hour).toISOString(), revision: 2 }] } } })
    t.equal((await metrics.buckets.get()).values.find(value => value.labels.outcome === 'restated')?.value, 1)
  })

  t.test('USAGE_SYNC_RECHECK_DAYS=0: new buckets only', async t => {
    const harness = await startProducerHarness(t, { clock, sourceId: 'norecheck' })
    const { job } = syncJob(harness, store, undefined, 0)
    await job.runOnce()
    harness.simulator.stats.reset()
    t.match(await job.runOnce(), { result: 'completed', sources: [{ windows: 0, added: 0 }] })
    t.equal(harness.simulator.stats.count(), 0, 'nothing to ask')
  })

  t.test('while another holder has the sync lock, a run does nothing', async t => {
    const harness = await startProducerHarness(t, { clock, sourceId: 'held' })
    const { job, metrics } = syncJob(harness, store)
    const inside = await store.withExclusiveLock(SYNC_LOCK_NAME, async () => await job.runOnce())
    t.same(inside, { value: 'locked_elsewhere' })
    t.equal(harness.simulator.stats.count(), 0)
    t.equal((await metrics.runs.get()).values.find(value => value.labels.result === 'locked_elsewhere')?.value, 1)
  })

  if (backend.name === 'postgres') {
    t.test('two replicas on one PostgreSQL: one syncs at a time, no bucket written twice', async t => {
      const harness = await startProducerHarness(t, { clock, sourceId: 'race' })
      const storeA = await backend.open(harness.clock)
      const storeB = await backend.open(harness.clock)
      t.teardown(async () => { await storeA.close(); await storeB.close() })
      const replicaA = syncJob(harness, storeA).job
      const replicaB = syncJob(harness, storeB).job
      const variant = harness.target.variants[0]!.key

      // A holds the lock through its whole run; B, asking meanwhile on its own connection, is refused.
      let release!: () => void
      let entered!: () => void
      const held = new Promise<void>(resolve => { release = resolve })
      const holding = new Promise<void>(resolve => { entered = resolve })
      const runA = storeA.withExclusiveLock('hold-for-test', async () => {
        const inner = storeA.withExclusiveLock(SYNC_LOCK_NAME, async () => { entered(); await held })
        return await inner
      })
      await holding
      t.equal(await replicaB.runOnce(), 'locked_elsewhere', 'B skips while A holds the sync lock')
      release()
      await runA

      // Then both race, round after round as the clock moves: whatever the interleaving, one revision per bucket.
      for (let round = 0; round < 4; round++) {
        harness.clock.set(NOW + round * 2 * HOUR)
        const results = await Promise.all([replicaA.runOnce(), replicaB.runOnce()])
        t.ok(results.some(result => result !== 'locked_elsewhere'), `round ${round}: one of them synced`, { found: results })
      }
      const buckets = await storeA.readRange({ sourceId: harness.sourceId, variant, from: 0, to: NOW + 2 * DAY })
      const settledTo = SETTLED_TO + 6 * HOUR
      t.equal(buckets.length, (settledTo - OLDEST) / HOUR)
      t.same(buckets.filter(bucket => bucket.revision !== 1), [], 'one revision each')
      t.same([...bucketSums(buckets)].filter(([hour, seconds]) => seconds !== expectedHourSeconds(hour)), [])
      t.same(await storeA.verify(), [])
    })
  }
})
