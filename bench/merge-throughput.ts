/**
 * Scenario 3, in the bench's own process: how fast raw provider answers become a merged answer, against how fast
 * JSON.parse reads the same bytes.
 *
 * 1. Capture: the embedded simulators (no added latency, a fixed clock) answer the calls the planner makes for a
 *    90-day, all-dimensions query by hour and by day; every source's raw answers are kept (at most CAPTURE_PER_SOURCE
 *    calls per source and query: a kind without native buckets makes one call per bucket, and its answers carry no
 *    times, so the captured ones are replayed round-robin for the rest).
 * 2. Replay: runUsageQuery itself runs both queries over the runtime's own executors (without cache or call budget),
 *    whose adapters answer each call by passing the captured response through the real adapter (signing, JSON.parse,
 *    schema, conversion), so planning, normalizing, record tagging and merging are all the service's own code; only
 *    the network is gone.
 * 3. Baseline: JSON.parse of exactly the bodies one replay reads, interleaved with the replays.
 */
import { performance } from 'node:perf_hooks'
import { fixedClock, systemClock } from '../src/clock.js'
import { loadConfig } from '../src/config/load-config.js'
import type { UpstreamHttp, UpstreamResponse } from '../src/http/upstream-http.js'
import type { ServiceConfig } from '../src/config/load-config.js'
import { UsageMetrics } from '../src/observability/usage-metrics.js'
import { createRuntime, type Runtime, type RuntimeOverrides } from '../src/runtime.js'
import { ADAPTERS } from '../src/providers/registry.js'
import { BUILT_IN_QUERY_DEFAULTS, usageQuerySchemaFor } from '../src/schemas/usage-query-schema.js'
import { CallBudget } from '../src/usage/call-budget.js'
import { buildCatalog } from '../src/usage/catalog.js'
import { mergeSeries, type SourceOutcome, type SourceSpan } from '../src/usage/merge-series.js'
import { planSource } from '../src/usage/plan-source.js'
import { runUsageQuery } from '../src/usage/run-usage-query.js'
import type { FetchResult, SourceAdapter, UpstreamCall, UsageRecord } from '../src/usage/source-adapter.js'
import type { RuntimeSource } from '../src/usage/source-executor.js'
import type { UsageQuery } from '../src/usage/usage-query.js'
import { listBuckets, widenRange } from '../src/time/index.js'
import { ALL_DIMENSIONS, usageSearch } from './lib/queries.js'

const catalog = buildCatalog(ADAPTERS)
const usageQuerySchema = usageQuerySchemaFor({ catalog, clock: systemClock, defaults: BUILT_IN_QUERY_DEFAULTS })

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
  const runtime = await createRuntime({ config, clock, overrides: { ledger: false } })
  const signal = new AbortController().signal
  let replayRuntime: Runtime | undefined
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
      // Only the captured calls go to a provider, each within the source's budget; the rest return at once.
      const capturing = await sourcesWith(runtime, config, clock, capturingAdapter(captured), { budgets: false })
      try {
        await run(capturing.sources, query)
      } finally {
        await capturing.close()
      }
    }

    // 2. Replay sources: each call answered from the capture through the adapter. The warm-up replay lists what it
    // read (the bodies for 3., the calls for the adapters alone, the results for the merge alone); the timed replays
    // only count, so that nothing of the harness outlives a query and the collector sees what the service's would.
    let listing = true
    const tally = new Map<string, { calls: number, points: number }>()
    const bodiesRead: string[] = []
    const callsRead: Array<{ source: ReplayedSource, call: UpstreamCall, response: Recorded }> = []
    const recordsBySource = new Map<string, FetchResult[]>()
    replayRuntime = await sourcesWith(runtime, config, clock, replayingAdapter(captured, (source, call, response, result) => {
      const counts = tally.get(source.config.id) ?? { calls: 0, points: 0 }
      counts.calls++
      counts.points += result.records.length
      tally.set(source.config.id, counts)
      if (!listing) return
      bodiesRead.push(response.body)
      callsRead.push({ source, call, response })
      const kept = recordsBySource.get(source.config.id) ?? []
      kept.push(result)
      recordsBySource.set(source.config.id, kept)
    }), { budgets: false })
    const replaying = replayRuntime.sources
    const replayOnce = async (): Promise<{ points: number, ms: number }> => {
      tally.clear()
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
    listing = false
    const bodies = bodiesRead
    const replayedCalls = callsRead
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

    // Merge alone, on the records of the warm-up replay (tagged with the source identity, as runUsageQuery does).
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
    await replayRuntime?.close()
    await runtime.close()
  }
}

/**
 * The runtime's sources again, built the way the service builds them, over adapters wrapped by `wrap`: no
 * cache (every call reaches the adapter) and a single attempt.
 */
async function sourcesWith (
  runtime: Runtime, config: ServiceConfig, clock: ReturnType<typeof fixedClock>,
  wrap: (adapter: SourceAdapter<unknown>) => SourceAdapter<unknown>, overrides: RuntimeOverrides = {}
): Promise<Runtime> {
  const adapters = new Map(runtime.sources.map(source => [source.adapter.kind, wrap(source.adapter)]))
  return await createRuntime({
    config,
    clock,
    overrides: { sources: runtime.sources.map(source => source.config), adapters: [...adapters.values()], cache: false, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, metrics: new UsageMetrics(), ...overrides }
  })
}

/**
 * Calls the simulator for the first calls of each source, within the source's budget, and keeps the raw answers.
 * The budget is the adapter's own here, not the executor's: the calls not captured return at once instead of
 * waiting minutes for rate-gate slots they do not use.
 */
function capturingAdapter (captured: ReadonlyMap<string, Map<string, Recorded>>) {
  const started = new Map<string, number>()
  const budgets = new Map<string, CallBudget>()
  return (adapter: SourceAdapter<unknown>): SourceAdapter<unknown> => ({
    ...adapter,
    async fetch (call, context) {
      const count = started.get(context.source.id) ?? 0
      started.set(context.source.id, count + 1)
      if (count >= CAPTURE_PER_SOURCE) return { records: [], requestId: null }
      const budget = budgets.get(context.source.id) ?? new CallBudget(context.source.qps, context.source.concurrency)
      budgets.set(context.source.id, budget)
      const http = recordingHttp(context.source.id, response => captured.get(context.source.id)!.set(call.key, response))
      return await budget.run(context.signal, async () => await adapter.fetch(call, { ...context, http }))
    }
  })
}

/** A replayed call's source, with the adapter itself rather than its replaying wrapper. */
type ReplayedSource = Pick<RuntimeSource, 'config' | 'adapter'>

/** Answers each call with its captured response (or, for a call not captured, the source's captured ones in turn). */
function replayingAdapter (
  captured: ReadonlyMap<string, Map<string, Recorded>>,
  onResult: (source: ReplayedSource, call: UpstreamCall, response: Recorded, result: FetchResult) => void
) {
  const turns = new Map<string, number>()
  const all = new Map<string, Recorded[]>()
  return (adapter: SourceAdapter<unknown>): SourceAdapter<unknown> => ({
    ...adapter,
    async fetch (call, context) {
      const store = captured.get(context.source.id)!
      const turn = turns.get(context.source.id) ?? 0
      let response = store.get(call.key)
      if (response === undefined) {
        const answers = all.get(context.source.id) ?? [...store.values()]
        all.set(context.source.id, answers)
        response = answers[turn % answers.length]
        turns.set(context.source.id, turn + 1)
      }
      if (response === undefined) throw new Error(`nothing captured for ${context.source.id}`)
      const http: UpstreamHttp = { send: async () => response, close: async () => {} }
      const result = await adapter.fetch(call, { ...context, http })
      onResult({ config: context.source, adapter }, call, response, result)
      return result
    }
  })
}

function recordingHttp (sourceId: string, keep: (response: Recorded) => void): UpstreamHttp {
  return {
    async send (request) {
      const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: request.signal })
      const recorded: Recorded = { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() }
      if (recorded.status >= 200 && recorded.status < 300) keep(recorded)
      else throw new Error(`capture from ${sourceId} answered ${recorded.status}: ${recorded.body.slice(0, 200)}`)
      return recorded
    },
    close: async () => {}
  }
}

/**
 * mergeSeries alone, on the records of one replay: the same inputs runUsageQuery builds (the adapters' records as
 * they are, provider and source in the outcome's identity, one ok span per call window), repeated until the target number of points.
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
      // As runUsageQuery passes them: not copied, the merger takes provider and source from the outcome's identity.
      for (const result of mine) for (const record of result.records) records.push(record)
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
