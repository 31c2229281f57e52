/**
 * Scenario 3, in the bench's own process: how fast raw provider answers become a merged answer, against how fast
 * JSON.parse reads the same bytes.
 *
 * 1. Capture: the embedded simulators (no added latency, a fixed clock) answer the calls the planner makes for a
 *    90-day, all-dimensions query by hour and by day; every source's raw answers are kept (at most CAPTURE_PER_SOURCE
 *    calls per source and query: a kind without native buckets makes one call per bucket, and its answers carry no
 *    times, so the captured ones are replayed round-robin for the rest).
 * 2. Replay: runUsageQuery itself runs both queries over executors that answer each call by passing the captured
 *    response through the real adapter (signing, JSON.parse, schema, conversion), so planning, normalizing, record
 *    tagging and merging are all the service's own code; only the network is gone.
 * 3. Baseline: JSON.parse of exactly the bodies one replay reads, interleaved with the replays.
 */
import { performance } from 'node:perf_hooks'
import { fixedClock } from '../src/clock.js'
import { loadConfig } from '../src/config/load-config.js'
import type { UpstreamHttp, UpstreamResponse } from '../src/http/upstream-http.js'
import { createRuntime } from '../src/runtime.js'
import { usageQuerySchema } from '../src/schemas/usage-query-schema.js'
import { mergeSeries, type SourceOutcome, type SourceSpan } from '../src/usage/merge-series.js'
import { planSource } from '../src/usage/plan-source.js'
import { RateGate } from '../src/usage/rate-gate.js'
import { runUsageQuery } from '../src/usage/run-usage-query.js'
import type { FetchResult, UpstreamCall, UsageRecord } from '../src/usage/source-adapter.js'
import type { ExecutedCall, RuntimeSource, SourceExecutor } from '../src/usage/source-executor.js'
import type { UsageQuery } from '../src/usage/usage-query.js'
import { listBuckets, widenRange } from '../src/time/index.js'
import { ALL_DIMENSIONS, usageSearch } from './lib/queries.js'

const CAPTURE_PER_SOURCE = 40

export interface MergeThroughput {
  points: number
  pipelineMs: number
  parseMs: number
  mergeOnlyPoints: number
  mergeOnlyMs: number
  /** The adapters alone (signing, JSON.parse, schema, conversion) over the same answers, one call after another. */
  normalizePoints: number
  normalizeMs: number
  bodies: number
  bodyBytes: number
  /** Points the upstream APIs could deliver per second at their QPS limits (points per call × qps, summed). */
  upstreamPointsPerSecond: number
  perSource: Array<{ id: string, kind: string, calls: number, points: number, pointsPerCall: number, qps: number }>
  queries: string[]
}

type Recorded = UpstreamResponse

export async function measureMergeThroughput (options: { zone: string, targetPoints: number, environment: NodeJS.ProcessEnv }): Promise<MergeThroughput> {
  const now = Date.now()
  const clock = fixedClock(now)
  const config = loadConfig({ ...options.environment, USAGE_SIMULATOR_LATENCY_MS: '0' })
  const runtime = await createRuntime(config, clock)
  const signal = new AbortController().signal
  try {
    const searches = [
      usageSearch({ now, zone: options.zone, fromDay: -89, toDay: 1, granularity: 'hour', groupBy: ALL_DIMENSIONS }),
      usageSearch({ now, zone: options.zone, fromDay: -89, toDay: 1, granularity: 'day', groupBy: ALL_DIMENSIONS })
    ]
    const queries: UsageQuery[] = searches.map(search => usageQuerySchema.parse(Object.fromEntries(new URLSearchParams(search))))
    // The corpus is sized for throughput, not for what one HTTP request is admitted: the per-request bounds are lifted.
    const unbounded = { limits: { maxBuckets: config.maxBuckets, maxUpstreamCalls: Number.MAX_SAFE_INTEGER, maxPoints: Number.MAX_SAFE_INTEGER } }
    const run = (sources: RuntimeSource[], query: UsageQuery) => runUsageQuery(query, { sources, clock, signal, ...unbounded })

    // 1. Capture, per source, by call key.
    const captured = new Map<string, Map<string, Recorded>>(runtime.sources.map(source => [source.config.id, new Map()]))
    for (const query of queries) {
      const capturing = runtime.sources.map(source => capturingSource(source, captured.get(source.config.id)!, clock))
      await run(capturing, query)
    }

    // 2. Replay sources: each call answered from the capture through the adapter; bodies read are listed for 3.
    const tally = new Map<string, { calls: number, points: number }>()
    let bodiesRead: string[] = []
    let callsRead: Array<{ source: RuntimeSource, call: UpstreamCall, response: Recorded }> = []
    const recordsBySource = new Map<string, FetchResult[]>()
    const replaying = runtime.sources.map(source => replayingSource(source, captured.get(source.config.id)!, clock, (call, response, result) => {
      bodiesRead.push(response.body)
      callsRead.push({ source, call, response })
      const counts = tally.get(source.config.id) ?? { calls: 0, points: 0 }
      counts.calls++
      counts.points += result.records.length
      tally.set(source.config.id, counts)
      const kept = recordsBySource.get(source.config.id) ?? []
      kept.push(result)
      recordsBySource.set(source.config.id, kept)
    }))
    const replayOnce = async (): Promise<{ points: number, ms: number }> => {
      tally.clear()
      bodiesRead = []
      callsRead = []
      recordsBySource.clear()
      const started = performance.now()
      for (const query of queries) await run(replaying, query)
      const ms = performance.now() - started
      let points = 0
      for (const counts of tally.values()) points += counts.points
      return { points, ms }
    }
    const parseOnce = (bodies: readonly string[]): number => {
      const started = performance.now()
      let keys = 0
      for (const body of bodies) keys += Object.keys(JSON.parse(body) as object).length
      const ms = performance.now() - started
      if (keys < 0) throw new Error('unreachable')
      return ms
    }

    // Warm-up (JIT), then alternate baseline and pipeline until the pipeline has handled the target points.
    await replayOnce()
    const bodies = bodiesRead.slice()
    const replayedCalls = callsRead.slice()
    const normalizeOnce = async (): Promise<{ points: number, ms: number }> => {
      let points = 0
      const started = performance.now()
      for (const { source, call, response } of replayedCalls) {
        const http: UpstreamHttp = { send: async () => response, close: async () => {} }
        points += (await source.adapter.fetch(call, { source: source.config, http, clock, signal })).records.length
      }
      return { points, ms: performance.now() - started }
    }
    const perReplay = await replayOnce()
    if (perReplay.points === 0) throw new Error('the replayed queries produced no provider data points')
    parseOnce(bodies)
    parseOnce(bodies)
    await normalizeOnce()
    let points = 0
    let pipelineMs = 0
    let parseMs = 0
    let normalizePoints = 0
    let normalizeMs = 0
    while (points < options.targetPoints) {
      parseMs += parseOnce(bodies)
      const normalized = await normalizeOnce()
      normalizeMs += normalized.ms
      normalizePoints += normalized.points
      const replay = await replayOnce()
      pipelineMs += replay.ms
      points += replay.points
    }
    const repetitions = Math.round(points / perReplay.points)

    // Merge alone, on the records of the last replay (tagged with the source identity, as runUsageQuery does).
    const mergeOnly = measureMergeOnly(runtime.sources, queries, recordsBySource, now, options.targetPoints)

    const perSource = runtime.sources.map(({ config }) => {
      const counts = tally.get(config.id) ?? { calls: 0, points: 0 }
      return {
        id: config.id,
        kind: config.kind,
        calls: counts.calls,
        points: counts.points,
        pointsPerCall: counts.calls > 0 ? counts.points / counts.calls : 0,
        qps: config.qps
      }
    })
    return {
      points,
      pipelineMs,
      parseMs,
      mergeOnlyPoints: mergeOnly.points,
      mergeOnlyMs: mergeOnly.ms,
      normalizePoints,
      normalizeMs,
      bodies: bodies.length * repetitions,
      bodyBytes: bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0) * repetitions,
      upstreamPointsPerSecond: perSource.reduce((sum, source) => sum + source.pointsPerCall * source.qps, 0),
      perSource,
      queries: searches
    }
  } finally {
    await runtime.close()
  }
}

/** Calls the simulator for the first calls of each source (paced by a gate at its QPS) and keeps the raw answers. */
function capturingSource (source: RuntimeSource, store: Map<string, Recorded>, clock: ReturnType<typeof fixedClock>): RuntimeSource {
  const gate = new RateGate(source.config.qps)
  let started = 0
  const executor = {
    settleDelayMs: source.executor.settleDelayMs,
    async run (call: UpstreamCall, signal: AbortSignal): Promise<ExecutedCall> {
      if (started++ >= CAPTURE_PER_SOURCE) return { result: { records: [], requestId: null }, cachedAt: null }
      const release = await gate.acquire(signal)
      try {
        const http = recordingHttp(source, response => store.set(call.key, response))
        const result = await source.adapter.fetch(call, { source: source.config, http, clock, signal })
        return { result, cachedAt: null }
      } finally {
        release()
      }
    }
  }
  return { ...source, executor: executor as unknown as SourceExecutor }
}

/** Answers each call with its captured response (or, for a call not captured, the source's captured ones in turn). */
function replayingSource (
  source: RuntimeSource, store: Map<string, Recorded>, clock: ReturnType<typeof fixedClock>,
  onResult: (call: UpstreamCall, response: Recorded, result: FetchResult) => void
): RuntimeSource {
  const all = [...store.values()]
  let turn = 0
  const executor = {
    settleDelayMs: source.executor.settleDelayMs,
    async run (call: UpstreamCall, signal: AbortSignal): Promise<ExecutedCall> {
      const response = store.get(call.key) ?? all[turn++ % all.length]
      if (response === undefined) throw new Error(`nothing captured for ${source.config.id}`)
      const http: UpstreamHttp = { send: async () => response, close: async () => {} }
      const result = await source.adapter.fetch(call, { source: source.config, http, clock, signal })
      onResult(call, response, result)
      return { result, cachedAt: null }
    }
  }
  return { ...source, executor: executor as unknown as SourceExecutor }
}

function recordingHttp (source: RuntimeSource, keep: (response: Recorded) => void): UpstreamHttp {
  return {
    async send (request) {
      const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: request.signal })
      const recorded: Recorded = { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() }
      if (recorded.status >= 200 && recorded.status < 300) keep(recorded)
      else throw new Error(`capture from ${source.config.id} answered ${recorded.status}: ${recorded.body.slice(0, 200)}`)
      return recorded
    },
    close: async () => {}
  }
}

/**
 * mergeSeries alone, on the records of one replay: the same inputs runUsageQuery builds (records tagged with
 * provider and source, one ok span per call window), repeated until the target number of points.
 */
function measureMergeOnly (
  sources: readonly RuntimeSource[], queries: readonly UsageQuery[], results: ReadonlyMap<string, FetchResult[]>, now: number, targetPoints: number
): { points: number, ms: number } {
  // The replay ran the queries in order; split each source's results by query through the plan's call count.
  const inputs = queries.map(() => ({ outcomes: [] as SourceOutcome[], points: 0 }))
  const offsets = new Map<string, number>()
  const prepared = queries.map((query, queryIndex) => {
    const range = widenRange({ from: query.from, to: query.to }, query.granularity, query.zone)
    const buckets = listBuckets(range, query.granularity, query.zone)
    const planQuery = { range, buckets, granularity: query.granularity, zone: query.zone, groupBy: query.groupBy, filters: {}, now }
    for (const { config, adapter, executor } of sources) {
      const plan = planSource(adapter, config, planQuery)
      if (plan.status !== 'planned') continue
      const identity = { provider: adapter.provider, source: config.id }
      const offset = offsets.get(config.id) ?? 0
      const mine = (results.get(config.id) ?? []).slice(offset, offset + plan.calls.length)
      offsets.set(config.id, offset + plan.calls.length)
      const records: UsageRecord[] = []
      for (const result of mine) for (const record of result.records) records.push({ ...record, dimensions: { ...record.dimensions, ...identity } })
      const spans: SourceSpan[] = plan.spans.filter(span => span.status !== 'planned').map(span => ({ ...span, status: span.status as SourceSpan['status'] }))
      for (const call of plan.calls) spans.push({ from: call.window.from, to: call.window.to, status: 'ok' })
      inputs[queryIndex]!.outcomes.push({ identity, metrics: new Set(adapter.metrics.map(mapping => mapping.metric)), records, spans, settledBefore: now - executor.settleDelayMs })
      inputs[queryIndex]!.points += records.length
    }
    return { buckets, groupBy: query.groupBy }
  })
  const once = () => {
    for (const [index, input] of inputs.entries()) mergeSeries({ buckets: prepared[index]!.buckets, groupBy: prepared[index]!.groupBy, sources: input.outcomes })
  }
  const perRound = inputs.reduce((sum, input) => sum + input.points, 0)
  if (perRound === 0) return { points: 0, ms: 0 }
  once()
  let points = 0
  const started = performance.now()
  while (points < targetPoints) {
    once()
    points += perRound
  }
  return { points, ms: performance.now() - started }
}
