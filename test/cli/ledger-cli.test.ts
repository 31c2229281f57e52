import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { runLedgerCommand } from '../../src/cli/run-ledger-command.js'
import type { RecordDifference } from '../../src/ledger-sync/record-differences.js'
import { Restatements, startLiveProducerSimulator } from '../../src/simulators/index.js'
import { forEachBackend } from '../ledger/support/ledger-backends.js'
import { ACCOUNT, DAY, HOUR, NOW, bucketSums, expectedHourSeconds, producerVariantKey } from '../ledger-sync/support/producer-harness.js'
import { captureStream, cliEnvironment } from './support/cli-harness.js'

const VARIANT = producerVariantKey()
const INSTANCE = 'a17d0184-462d-4630-b2a6-8c26dde20001'

forEachBackend(t, { pgliteDir: false }, async (t, backend) => {
  const clock = fixedClock(NOW)
  const restatements = new Restatements()
  const simulator = await startLiveProducerSimulator({ accounts: [ACCOUNT], clock, qps: 1000, restatements })
  t.teardown(() => simulator.close())
  const store = await backend.open(clock)
  t.teardown(() => store.close())
  const env = await cliEnvironment(t, simulator.url, ACCOUNT)

  const run = async (...argv: string[]) => {
    const stdout = captureStream()
    const stderr = captureStream()
    const status = await runLedgerCommand(argv, { env, stdout: stdout.stream, stderr: stderr.stream, clock, signal: new AbortController().signal, store })
    return { status, events: stdout.events(), stderr: stderr.text() }
  }
  const stored = async (from: number, to: number) => await store.readRange({ sourceId: 'producer', variant: VARIANT, from, to })

  t.test('backfill: every settled hour of the range, exactly the simulator\'s, one JSON line per step; a rerun has nothing left to do', async t => {
    const first = await run('backfill', '--from', '2026-11-15', '--to', '2026-11-19T00:00:00Z', '--window', '1d')
    t.equal(first.status, 0, first.stderr)
    t.match(first.events[0], { event: 'plan', source: 'producer', variant: VARIANT, buckets: 96, alreadyCovered: 0, windows: 4 })
    const windows = first.events.filter(event => event.event === 'window')
    t.same(windows.map(event => event.progress?.done), [1, 2, 3, 4])
    t.same(windows.filter(event => !(event.progress?.total === 4 && typeof event.progress.etaMs === 'number')), [], 'each step says how far along it is and the time left')
    t.match(first.events.at(-1), { event: 'done', windows: 4, added: 96, failed: 0 })
    const buckets = await stored(0, NOW)
    t.equal(buckets.length, 96)
    t.same([...bucketSums(buckets)].filter(([hour, seconds]) => seconds !== expectedHourSeconds(hour)), [])

    simulator.stats.reset()
    const again = await run('backfill', '--from', '2026-11-15', '--to', '2026-11-19')
    t.match(again.events[0], { alreadyCovered: 96, windows: 0 })
    t.match(again.events.at(-1), { event: 'done', windows: 0, added: 0 })
    t.equal(simulator.stats.count(), 0, 'nothing asked again')
  })

  t.test('verify: reports a restated hour without writing; --apply writes a new revision; then nothing differs', async t => {
    const hour = Date.parse('2026-11-16T05:00:00Z')
    const before = (await stored(hour, hour + HOUR))[0]!
    restatements.restate(9, INSTANCE, hour, 'TranSdDuration')

    const report = await run('verify', '--from', '2026-11-15', '--to', '2026-11-19')
    t.equal(report.status, 1, 'a difference is a non-zero exit, for scripts')
    const differences = report.events.filter(event => event.event === 'differs')
    t.equal(differences.length, 1)
    t.match(differences[0], { source: 'producer', bucket: { from: '2026-11-16T05:00:00.000Z', to: '2026-11-16T06:00:00.000Z' }, ledgerRevision: 1 })
    // The event's records are the verify command's RecordDifference list, written as JSON.
    const [record] = differences[0]!.records as RecordDifference[]
    t.equal(Number(record?.provider) - Number(record?.ledger), 9 * 60, 'the record that changed, with both values', { found: record })
    t.match(report.events.at(-1), { event: 'done', buckets: 96, differing: 1, notInLedger: 0, written: 0, apply: false })
    t.same(await stored(hour, hour + HOUR), [before], 'nothing written without --apply')

    const applied = await run('verify', '--from', '2026-11-15', '--to', '2026-11-19', '--apply')
    t.equal(applied.status, 0, applied.stderr)
    t.match(applied.events.at(-1), { event: 'done', differing: 1, written: 1, apply: true })
    const [after] = await stored(hour, hour + HOUR)
    t.match(after, { revision: 2, restated: true })
    t.equal(bucketSums([after!]).get(hour), expectedHourSeconds(hour, restatements))

    const clean = await run('verify', '--from', '2026-11-15', '--to', '2026-11-19')
    t.equal(clean.status, 0)
    t.match(clean.events.at(-1), { event: 'done', differing: 0, notInLedger: 0 })
  })

  t.test('verify reports buckets the ledger does not hold, and covers them only with --apply', async t => {
    const report = await run('verify', '--from', '2026-11-10', '--to', '2026-11-11')
    t.equal(report.status, 1)
    t.equal(report.events.filter(event => event.event === 'not_in_ledger').length, 24)
    t.same(await stored(Date.parse('2026-11-10'), Date.parse('2026-11-11')), [])
    const applied = await run('verify', '--from', '2026-11-10', '--to', '2026-11-11', '--apply')
    t.equal(applied.status, 0)
    t.equal((await stored(Date.parse('2026-11-10'), Date.parse('2026-11-11'))).length, 24)
  })

  t.test('backfill names what it cannot fetch: before the lookback, not settled yet', async t => {
    const result = await run('backfill', '--from', '2026-08-01', '--to', '2026-11-21', '--source', 'producer')
    t.equal(result.status, 0, result.stderr)
    t.match(result.events[0], {
      event: 'plan',
      beforeLookback: { from: '2026-08-01T00:00:00.000Z', to: '2026-08-22T11:00:00.000Z' },
      notSettled: { from: '2026-11-20T06:00:00.000Z', to: '2026-11-21T00:00:00.000Z' }
    })
    const buckets = await stored(0, NOW + DAY)
    t.equal(buckets.at(-1)?.end, Date.parse('2026-11-20T06:00:00Z'), 'nothing inside the data delay')
    t.same(buckets.filter(bucket => bucket.revision !== 1).map(bucket => new Date(bucket.start).toISOString()), ['2026-11-16T05:00:00.000Z'],
      'only the hour verify --apply restated has a second revision: what was covered was not written again')
  })

  t.test('status: what the ledger holds per source, and the sync state', async t => {
    await store.recordSyncFailure('producer', 'UPSTREAM_SERVER: simulated outage', NOW - HOUR)
    const result = await run('status')
    t.equal(result.status, 0)
    t.match(result.events, [{
      event: 'source',
      source: 'producer',
      kept: true,
      oldestSettledBucket: '2026-08-22T11:00:00.000Z',
      newestSettledBucket: { from: '2026-11-20T05:00:00.000Z', to: '2026-11-20T06:00:00.000Z' },
      restatedBuckets: 1,
      lastSyncSuccess: null,
      lastError: 'UPSTREAM_SERVER: simulated outage',
      lastErrorAt: '2026-11-20T09:30:00.000Z'
    }])
  })

  t.test('an unknown --source is a usage error naming the configured ones', async t => {
    const result = await run('backfill', '--from', '2026-11-15', '--to', '2026-11-16', '--source', 'nope')
    t.equal(result.status, 2)
    t.match(result.stderr, /--source: 'nope' is not a configured source; expected one of producer/)
  })
})

t.test('a bad argument is refused before any configuration is read: status 2 and a message naming it', async t => {
  const stdout = captureStream()
  const stderr = captureStream()
  const status = await runLedgerCommand(['backfill', '--from', 'yesterday', '--to', '2026-11-02'], {
    env: { USAGE_SOURCES_FILE: '/nonexistent/sources.json' }, stdout: stdout.stream, stderr: stderr.stream, clock: fixedClock(NOW), signal: new AbortController().signal
  })
  t.equal(status, 2)
  t.match(stderr.text(), /^ledger: --from: 'yesterday' is not a time; expected /)
  t.equal(stdout.text(), '')
})

t.test('a bad configuration is status 78 naming the variable', async t => {
  const stderr = captureStream()
  const status = await runLedgerCommand(['status'], {
    env: { USAGE_STORE_URL: 'mysql://db/x' }, stdout: captureStream().stream, stderr: stderr.stream, clock: fixedClock(NOW), signal: new AbortController().signal
  })
  t.equal(status, 78)
  t.match(stderr.text(), /USAGE_STORE_URL: unsupported form/)
})
