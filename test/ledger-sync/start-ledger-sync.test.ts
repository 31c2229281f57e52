import t from 'tap'
import { startLedgerSync } from '../../src/ledger-sync/start-ledger-sync.js'
import { memoryBackend } from '../ledger/support/ledger-backends.js'
import { NOW, memoryLogger, startProducerHarness } from './support/producer-harness.js'

t.test('started: a first run at once in the background, its metrics on the runtime\'s registry; stop() ends it', async t => {
  const harness = await startProducerHarness(t)
  const store = await memoryBackend().open(harness.clock)
  t.teardown(() => store.close())
  const logger = memoryLogger()
  let firstRun!: () => void
  const ran = new Promise<void>(resolve => { firstRun = resolve })
  const info = logger.info
  logger.info = (object, message) => { info(object, message); if (message === 'ledger sync wrote settled buckets') firstRun() }

  const job = startLedgerSync({ runtime: harness.runtime, store, config: { sync: { intervalMs: 60_000, recheckDays: 3 } }, clock: harness.clock, logger })
  t.ok(job, 'started')
  await ran
  await job!.stop()
  t.match(await store.syncState('producer'), { lastSuccessAt: NOW, lastError: null })
  const exposed = await harness.runtime.metrics.registry.metrics()
  t.match(exposed, /usage_service_ledger_sync_runs_total\{result="completed"\} 1/)
  const covered = (await store.status(['producer']))[0]!.buckets
  t.ok(covered > 2000, `${covered} hours covered`)
  t.match(exposed, `usage_service_ledger_sync_buckets_written_total{source="producer",outcome="new"} ${covered}\n`)
  t.match(exposed, `usage_service_ledger_sync_last_success_timestamp_seconds{source="producer"} ${NOW / 1000}\n`)
})

t.test('stopped in the middle of a run: calls cancelled, no failure recorded against the source', async t => {
  const harness = await startProducerHarness(t)
  const store = await memoryBackend().open(harness.clock)
  t.teardown(() => store.close())
  // The provider never answers: the run is stuck in its first call until stop() cancels it.
  harness.simulator.faults.inject({ kind: 'hang' }, Number.POSITIVE_INFINITY)
  const logger = memoryLogger()
  const job = startLedgerSync({ runtime: harness.runtime, store, config: { sync: { intervalMs: 60_000, recheckDays: 3 } }, clock: harness.clock, logger })
  while (harness.simulator.stats.count() === 0) await new Promise(resolve => setImmediate(resolve))
  await job!.stop()
  t.same(await store.syncState('producer'), { sourceId: 'producer', lastAttemptAt: NOW, lastSuccessAt: null, lastError: null, lastErrorAt: null },
    'the attempt is visible; no failure recorded: shutdown is not the provider failing')
  t.same(logger.lines.filter(line => line.level === 'warn'), [])
})

t.test('USAGE_SYNC_INTERVAL=0: no job, and a line saying so', async t => {
  const harness = await startProducerHarness(t)
  const logger = memoryLogger()
  const job = startLedgerSync({ runtime: harness.runtime, store: null as never, config: { sync: { intervalMs: 0, recheckDays: 3 } }, clock: harness.clock, logger })
  t.equal(job, null)
  t.match(logger.lines, [{ level: 'info', message: /ledger sync is off \(USAGE_SYNC_INTERVAL=0\)/ }])
})
