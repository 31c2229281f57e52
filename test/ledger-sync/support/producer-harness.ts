/**
 * A live-producer simulator on a pinned clock, a runtime whose one source calls it, and what a test needs to
 * compare the ledger with the simulator: the expected seconds of any hour, restatements included.
 */
import { Registry } from 'prom-client'
import type { Test } from 'tap'
import { fixedClock } from '../../../src/clock.js'
import { buildSource } from '../../../src/config/load-config.js'
import type { LedgerStore } from '../../../src/ledger/index.js'
import { ledgerTargetOf, type LedgerTarget } from '../../../src/ledger-sync/ledger-target.js'
import { LedgerSyncJob } from '../../../src/ledger-sync/sync-job.js'
import { LedgerSyncMetrics } from '../../../src/observability/ledger-sync-metrics.js'
import { UsageMetrics } from '../../../src/observability/usage-metrics.js'
import type { Runtime } from '../../../src/runtime.js'
import { LIVE_PRODUCER_FIELDS, LIVE_PRODUCER_INSTANCES, Restatements, liveProducerMinutes, startLiveProducerSimulator, type RunningSimulator } from '../../../src/simulators/index.js'
import { DEFAULT_RETRY_POLICY } from '../../../src/usage/retry-policy.js'
import { buildRuntime } from '../../support/build.js'
import { liveProducerAdapter } from '../../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { ledgerVariantKey } from '../../../src/usage/call-keys.js'
import { baseLedgerVariants } from '../../../src/usage/kept-variants.js'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR
/** 2026-11-20T10:30:00Z: mid-hour, so "settled" (end + 4 h ≤ now) ends at 06:00. */
export const NOW = Date.parse('2026-11-20T10:30:00Z')
export const ACCOUNT = { accessKeyId: 'LTAI5tLedgerSyncTest01', accessKeySecret: 'ledger-sync-test-secret-0123456789' }

export interface ProducerHarness {
  clock: ReturnType<typeof fixedClock>
  simulator: RunningSimulator
  restatements: Restatements
  runtime: Runtime
  target: LedgerTarget
  metrics: UsageMetrics
  sourceId: string
}

/** `sourceId`: tests sharing one store (opening one is slow) keep apart by source. */
/** `clock`: shared with a store the test opened once; set back to NOW here. */
export async function startProducerHarness (t: Test, options: { sourceId?: string, retryAttempts?: number, clock?: ReturnType<typeof fixedClock> } = {}): Promise<ProducerHarness> {
  const sourceId = options.sourceId ?? 'producer'
  const clock = options.clock ?? fixedClock(NOW)
  clock.set(NOW)
  const restatements = new Restatements()
  // A generous QPS: the budget's rate gate, not the simulator's limiter, is what keeps the calls in line.
  const simulator = await startLiveProducerSimulator({ accounts: [ACCOUNT], clock, qps: 1000, restatements })
  t.teardown(() => simulator.close())
  const source = buildSource({ id: sourceId, kind: 'aliyun.live-producer', credentials: ACCOUNT, endpoint: simulator.url, simulated: true, qps: 50, variable: 'test' })
  const metrics = new UsageMetrics()
  const runtime = await buildRuntime(t, {
    clock,
    overrides: { sources: [source], metrics, retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 2, maxAttempts: options.retryAttempts ?? 4 } }
  })
  const target = ledgerTargetOf(runtime.sources[0]!)
  if (target === null) throw new Error('live-producer has native buckets')
  return { clock, simulator, restatements, runtime, target, metrics, sourceId }
}

/** Seconds of every field of every studio in the hour starting at `hour`, as the simulator now answers. */
export function expectedHourSeconds (hour: number, restatements?: Restatements): number {
  let minutes = 0
  for (const { instance } of LIVE_PRODUCER_INSTANCES) {
    for (const field of LIVE_PRODUCER_FIELDS) minutes += liveProducerMinutes(instance, hour, field, restatements)
  }
  return minutes * 60
}

export interface CapturedLine { level: string, object: Record<string, unknown>, message: string }

/** A logger of the shape the job needs, keeping every line. */
export function memoryLogger (): { lines: CapturedLine[], info: Log, warn: Log, error: Log, debug: Log } {
  const lines: CapturedLine[] = []
  const at = (level: string): Log => (object: unknown, message?: string) => {
    lines.push(typeof object === 'string' ? { level, object: {}, message: object } : { level, object: object as Record<string, unknown>, message: message ?? '' })
  }
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') }
}
type Log = (object: unknown, message?: string) => void

export function syncJob (harness: ProducerHarness, store: LedgerStore, logger = memoryLogger(), recheckDays = 3): { job: LedgerSyncJob, logger: ReturnType<typeof memoryLogger>, metrics: LedgerSyncMetrics } {
  // A registry per job: two jobs (two replicas) in one test must not register the same names twice.
  const metrics = new LedgerSyncMetrics(new Registry(), [harness.sourceId])
  const job = new LedgerSyncJob({ sources: harness.runtime.sources, store, clock: harness.clock, intervalMs: 60_000, recheckDays, logger, metrics })
  return { job, logger, metrics }
}

/** Sum of every record of each covered bucket, by bucket start. */
export function bucketSums (buckets: ReadonlyArray<{ start: number, records: ReadonlyArray<{ value: number }> }>): Map<number, number> {
  return new Map(buckets.map(bucket => [bucket.start, bucket.records.reduce((sum, record) => sum + record.value, 0)]))
}

/** The ledger key of the producer's kept variant on its hourly grid: what sync and the CLI write, and queries read. */
export function producerVariantKey (regionId = 'cn-shanghai'): string {
  const buckets = liveProducerAdapter.nativeBuckets
  if (buckets.kind !== 'grid') throw new Error('the live producer has native buckets')
  const grid = buckets.grids[0]!
  const [variant] = baseLedgerVariants(liveProducerAdapter, liveProducerAdapter.settingsSchema.parse({ regionId }), grid)
  return ledgerVariantKey(grid, variant!)
}
