/**
 * Scenario 7, the sliding window: a dashboard asking "last 7 days by day" every hour. A fixed clock starts at
 * `start` and advances `stepMs` at a time; at each instant the same relative query (the 7 local days ending with
 * today) is answered in-process by `runUsageQuery` against the embedded simulated providers (they follow the same
 * clock), with a `memory:` ledger or with none (only the in-memory cache). Every attempt that reached a provider
 * is counted through the runtime's onCall, per source and step, checked against the simulator's own count, and set
 * against the floor of bench/lib/sliding-floor.ts. The ledger sync job does not run (it is the server's, not the
 * runtime's): only queries call.
 */
import { DateTime } from 'luxon'
import { fixedClock } from '../src/clock.js'
import { loadConfig } from '../src/config/load-config.js'
import { parseStoreUrl } from '../src/ledger/index.js'
import { UsageMetrics } from '../src/observability/usage-metrics.js'
import { createRuntime } from '../src/runtime.js'
import { bucketsAlignToGrid, listBuckets, widenRange } from '../src/time/index.js'
import { rolledUpVariants } from '../src/usage/kept-variants.js'
import { longestWindowMs } from '../src/usage/plan-source.js'
import { runUsageQuery } from '../src/usage/run-usage-query.js'
import type { RuntimeSource } from '../src/usage/source-executor.js'
import type { UsageQuery } from '../src/usage/usage-query.js'
import { slidingFloor, type FloorSource, type SlidingStep } from './lib/sliding-floor.js'
import { formatCount, type Row } from './lib/table.js'

export const HOUR_MS = 3_600_000

export interface SlidingWindowOptions {
  /** The clock at the first query. */
  start: number
  steps: number
  stepMs: number
  zone: string
  /** Days in the window, today included. */
  days: number
  ledger: boolean
  /** Only these source ids (all the embedded ones when absent). */
  sources?: readonly string[]
  /** The service's settings (the provisional TTL, the simulators' latency…); an empty environment's otherwise. */
  environment?: NodeJS.ProcessEnv
}

export interface SlidingSourceResult {
  id: string
  kind: string
  /** False for a kind without native buckets (nothing the ledger keeps). */
  kept: boolean
  calls: number
  /** The same calls as the simulated provider counted them (null when it is not in this process). */
  simulatorCalls: number | null
  floor: number
  callsPerStep: number[]
  floorPerStep: number[]
  /** Native buckets the calls asked for (their windows on the grid), and the fewest that had to be; null without native buckets. */
  bucketsAsked: number | null
  bucketsFloor: number | null
  /** Native buckets answered from the ledger, summed over the queries. */
  ledgerBuckets: number
  /** Queries whose answer for this source was not ok. */
  notOk: number
  /** Day buckets in the zone are not whole native buckets of this source: it answered none (no floor). */
  unaligned: boolean
}

export interface SlidingWindowResult {
  ledger: boolean
  steps: number
  stepMs: number
  provisionalTtlMs: number
  sources: SlidingSourceResult[]
}

/** The query at `now`: the `days` local days ending with the one holding now, by day. */
export function slidingQuery (now: number, zone: string, days: number, sources?: readonly string[]): UsageQuery {
  const today = DateTime.fromMillis(now, { zone }).startOf('day')
  return {
    from: today.minus({ days: days - 1 }).toMillis(),
    to: today.plus({ days: 1 }).toMillis(),
    granularity: 'day',
    zone,
    metrics: null,
    groupBy: [],
    filters: sources ? { source: [...sources] } : {},
    strict: false
  }
}

export function slidingSteps (options: Pick<SlidingWindowOptions, 'start' | 'steps' | 'stepMs' | 'zone' | 'days'>): SlidingStep[] {
  return Array.from({ length: options.steps }, (_, index) => {
    const now = Math.floor((options.start + index * options.stepMs) / 1000) * 1000
    const query = slidingQuery(now, options.zone, options.days)
    return { now, buckets: listBuckets(widenRange(query, query.granularity, query.zone), query.granularity, query.zone) }
  })
}

/**
 * What the floor needs of a source: for a kind with native buckets, the grid the planner picks (the coarsest the
 * day buckets align to), the longest window on it, and the variants a query without grouping or filter makes (the
 * kept variant when the ledger rolls one up).
 */
export function floorSourceOf (source: RuntimeSource, steps: readonly SlidingStep[], ledger: boolean): FloorSource | null {
  const { adapter, config, executor } = source
  const common = { lookbackMs: adapter.limits.lookbackMs, settleDelayMs: executor.settleDelayMs }
  if (adapter.nativeBuckets.kind === 'any') return { kind: 'any', maxSpanMs: adapter.limits.maxSpanMs, ...common }
  const buckets = steps.flatMap(step => step.buckets)
  const grid = adapter.nativeBuckets.grids.find(candidate => bucketsAlignToGrid(buckets, candidate))
  // Day buckets in this zone are not whole native buckets: the source answers none of the queries (unaligned).
  if (grid === undefined) return null
  const pushdown = { groupBy: [], filters: {} }
  const variants = (ledger ? rolledUpVariants(adapter, config.settings, grid, pushdown) : null) ??
    adapter.variants({ ...pushdown, grid }, config.settings)
  return { kind: 'grid', grid, longestWindowMs: longestWindowMs(adapter, grid), variants: variants.length, ...common }
}

export async function measureSlidingWindow (options: SlidingWindowOptions): Promise<SlidingWindowResult> {
  const steps = slidingSteps(options)
  const clock = fixedClock(steps[0]!.now)
  const config = loadConfig({ USAGE_SIMULATOR_LATENCY_MS: '0', ...options.environment })
  const callsBySource = new Map<string, number[]>()
  const spannedMsBySource = new Map<string, number>()
  let step = 0
  const runtime = await createRuntime({
    config,
    clock,
    overrides: {
      metrics: new UsageMetrics(),
      ledger: options.ledger ? { location: parseStoreUrl('memory:') } : false,
      onCall: entry => {
        const calls = callsBySource.get(entry.source) ?? new Array<number>(steps.length).fill(0)
        calls[step]!++
        callsBySource.set(entry.source, calls)
        spannedMsBySource.set(entry.source, (spannedMsBySource.get(entry.source) ?? 0) + entry.window.to - entry.window.from)
      }
    }
  })
  try {
    const chosen = runtime.sources.filter(source => options.sources === undefined || options.sources.includes(source.config.id))
    const ledgerBuckets = new Map<string, number>()
    const notOk = new Map<string, number>()
    for (step = 0; step < steps.length; step++) {
      clock.set(steps[step]!.now)
      const answer = await runUsageQuery(slidingQuery(steps[step]!.now, options.zone, options.days, options.sources), {
        sources: runtime.sources, clock, signal: new AbortController().signal, ledger: runtime.ledger
      })
      for (const report of answer.sources) {
        ledgerBuckets.set(report.id, (ledgerBuckets.get(report.id) ?? 0) + report.ledgerBuckets)
        if (report.status !== 'ok') notOk.set(report.id, (notOk.get(report.id) ?? 0) + 1)
      }
    }
    return {
      ledger: options.ledger,
      steps: steps.length,
      stepMs: options.stepMs,
      provisionalTtlMs: config.cache.provisionalTtlMs,
      sources: chosen.map(source => {
        const floorSource = floorSourceOf(source, steps, options.ledger)
        const floor = floorSource === null ? null : slidingFloor(floorSource, steps, config.cache.provisionalTtlMs)
        const callsPerStep = callsBySource.get(source.config.id) ?? new Array<number>(steps.length).fill(0)
        return {
          id: source.config.id,
          kind: source.config.kind,
          kept: source.adapter.nativeBuckets.kind === 'grid',
          calls: callsPerStep.reduce((sum, calls) => sum + calls, 0),
          simulatorCalls: runtime.embedded?.simulators[source.config.kind]?.stats.count() ?? null,
          floor: floor?.total ?? 0,
          callsPerStep,
          floorPerStep: floor?.perStep ?? callsPerStep.map(() => 0),
          bucketsAsked: floorSource?.kind === 'grid' ? (spannedMsBySource.get(source.config.id) ?? 0) / floorSource.grid.stepMs : null,
          bucketsFloor: floor?.buckets ?? null,
          ledgerBuckets: ledgerBuckets.get(source.config.id) ?? 0,
          notOk: notOk.get(source.config.id) ?? 0,
          unaligned: floorSource === null
        }
      })
    }
  } finally {
    await runtime.close()
  }
}

/** The table's rows: calls and buckets asked against the floor, with the ledger and with the in-memory cache alone. */
export function slidingRows (withLedger: SlidingWindowResult, withoutLedger: SlidingWindowResult | null): Row[] {
  const scenario = '7 sliding window'
  const rows: Row[] = []
  const steps = `${withLedger.steps} steps of ${withLedger.stepMs / HOUR_MS} h`
  const callRow = (label: string, sources: readonly SlidingSourceResult[], target: Row['target']): Row => {
    const calls = sources.reduce((sum, source) => sum + source.calls, 0)
    const floor = sources.reduce((sum, source) => sum + source.floor, 0)
    return { scenario, figure: label, measured: `${calls} calls`, baseline: `${floor} floor`, ratio: floor > 0 ? calls / floor : null, target }
  }
  const bucketRow = (label: string, sources: readonly SlidingSourceResult[]): Row => {
    const asked = sources.reduce((sum, source) => sum + (source.bucketsAsked ?? 0), 0)
    const floor = sources.reduce((sum, source) => sum + (source.bucketsFloor ?? 0), 0)
    return { scenario, figure: label, measured: `${formatCount(asked)} buckets`, baseline: `${formatCount(floor)} floor`, ratio: floor > 0 ? asked / floor : null, target: null }
  }
  for (const result of withoutLedger === null ? [withLedger] : [withLedger, withoutLedger]) {
    for (const source of result.sources) {
      if (source.simulatorCalls !== null && source.simulatorCalls !== source.calls) {
        throw new Error(`${source.id}: the simulator saw ${source.simulatorCalls} calls, onCall counted ${source.calls}`)
      }
    }
    const store = result.ledger ? 'ledger' : 'no ledger'
    const answered = result.sources.filter(source => !source.unaligned)
    const kept = answered.filter(source => source.kept)
    const notKept = answered.filter(source => !source.kept)
    const target = result.ledger ? { kind: 'max' as const, value: 1.05 } : null
    rows.push(callRow(`${store}, ${steps}: calls, all sources`, answered, target))
    if (notKept.length > 0) {
      rows.push(callRow(`${store}: calls, native buckets (${kept.map(source => source.kind).join(', ')})`, kept, target))
      rows.push(callRow(`${store}: calls, no native buckets (${notKept.map(source => source.kind).join(', ')})`, notKept, null))
    }
    rows.push(bucketRow(`${store}: native buckets asked for`, kept))
  }
  return rows
}
