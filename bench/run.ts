/**
 * `npm run bench`: how close the service runs to its limits, as ratios against baselines taken in the same run,
 * so the figures hold on a noisy, shared machine. See bench/README.md for what each figure means.
 *
 * Where things run:
 * - the service runs in a child process (service-child.ts) built as server.ts builds it, a fresh one for each
 *   scenario that needs a cold cache or a clean peak RSS;
 * - the simulated providers (USAGE_SIMULATOR_LATENCY_MS latency) run in a process of their own (upstream-child.ts),
 *   named in the service's sources file, so their work is not the service's; BENCH_UPSTREAM=embedded runs them in
 *   the service's process instead, exactly as `npm start` does;
 * - this process is the client: it plans, measures wall times, and runs autocannon;
 * - scenario 3 (merge throughput) is pure CPU and runs in this process, first, while no child is running;
 * - scenario 6 (replicas) runs three service processes sharing a Redis (replicas-scenario.ts);
 * - scenario 7 (sliding window) runs in this process after 3, before any child: a runtime per run with the embedded
 *   simulated providers on a fixed clock it advances (sliding-window.ts); it counts calls, not time.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon, { type AutocannonResult } from 'autocannon'
import { Agent, request } from 'undici'
import {
  GATE_MARGIN_MS, estimateFloors, gateSlots, parseLatency, type FloorEstimate, type LatencyRange
} from './lib/floors.js'
import type { QueryPlanInfo } from './lib/plan-info.js'
import { ALL_DIMENSIONS, usageSearch, type QueryOptions } from './lib/queries.js'
import { formatBytes, formatCount, formatMs, formatTable, verdictOf, type Row } from './lib/table.js'
import { measureMergeThroughput, type MergeThroughput } from './merge-throughput.js'
import { benchRedisUrl, replicaRows, replicaSharing, type ReplicaSharing } from './replicas-scenario.js'
import { HOUR_MS, measureSlidingWindow, slidingRows, type SlidingWindowResult } from './sliding-window.js'

const here = dirname(fileURLToPath(import.meta.url))
// Compiled to bench/.build/bench/: the project root is three levels up.
const projectRoot = resolvePath(here, '..', '..', '..')
const childScript = join(here, 'service-child.js')
const upstreamScript = join(here, 'upstream-child.js')

interface Settings {
  latency: LatencyRange
  latencyText: string
  zone: string
  durationSeconds: number
  rounds: number
  connections: number
  burst: number
  mergePoints: number
  memoryRuns: number
  queryBudgetSeconds: number
  cpuProfile: boolean
  /** 'separate': the simulated providers in a process of their own; 'embedded': in the service's, as `npm start`. */
  upstream: 'separate' | 'embedded'
  only: Set<number> | null
  resultsFile: string
  /** Redis for scenario 6 (BENCH_REDIS_URL, else USAGE_TEST_REDIS_URL); null: scenario 6 is skipped. */
  redisUrl: string | null
  /** Scenario 7: hourly steps of the sliding window (72: three days). */
  slidingSteps: number
}

function readSettings (environment: NodeJS.ProcessEnv): Settings {
  const number = (name: string, fallback: number) => {
    const text = environment[name]
    if (text === undefined || text.trim() === '') return fallback
    const value = Number(text)
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got '${text}'`)
    return value
  }
  const latencyText = environment.BENCH_LATENCY_MS?.trim() || '80-150'
  const only = environment.BENCH_ONLY?.trim()
  return {
    latency: parseLatency(latencyText),
    latencyText,
    zone: environment.BENCH_ZONE?.trim() || 'Asia/Shanghai',
    durationSeconds: number('BENCH_DURATION_S', 3),
    rounds: Math.round(number('BENCH_ROUNDS', 3)),
    connections: Math.round(number('BENCH_CONNECTIONS', 10)),
    burst: Math.round(number('BENCH_BURST', 200)),
    mergePoints: Math.round(number('BENCH_MERGE_POINTS', 1_000_000)),
    memoryRuns: Math.round(number('BENCH_MEMORY_RUNS', 3)),
    // The service's longest request deadline is 120 s; a source whose floor is longer is left out of that query.
    queryBudgetSeconds: Math.min(110, number('BENCH_QUERY_BUDGET_S', 100)),
    cpuProfile: environment.BENCH_CPU_PROF === '1',
    upstream: readUpstream(environment.BENCH_UPSTREAM),
    only: only ? new Set(only.split(',').map(Number)) : null,
    resultsFile: environment.BENCH_RESULTS_FILE?.trim() || join(projectRoot, 'bench', 'results.json'),
    redisUrl: benchRedisUrl(environment),
    slidingSteps: Math.round(number('BENCH_SLIDING_STEPS', 72))
  }
}

function readUpstream (text: string | undefined): Settings['upstream'] {
  const value = text?.trim() || 'separate'
  if (value !== 'separate' && value !== 'embedded') throw new Error(`BENCH_UPSTREAM: expected separate or embedded, got '${value}'`)
  return value
}

/** The embedded default: no credentials or sources file may leak in from the caller's environment. */
function serviceEnvironment (settings: Settings): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(ALIBABA_CLOUD_|TENCENTCLOUD_)/.test(name) || name === 'USAGE_SOURCES_FILE' || name === 'USAGE_API_KEYS') continue
    environment[name] = value
  }
  environment.USAGE_SIMULATOR_LATENCY_MS = settings.latencyText
  environment.LOG_LEVEL = 'silent'
  return environment
}

const log = (message: string) => process.stderr.write(`bench: ${message}\n`)

// ---------------------------------------------------------------------------------------------------------------
// The child service

interface SourceStats {
  id: string
  kind: string
  simulatorCalls: number | null
  simulatorThrottled: number | null
  simulatorMaxPerSecond: number | null
  qps: number
  attempts: number
  firstStartMs: number | null
  lastEndMs: number | null
  meanAttemptMs: number | null
  outcomes: Record<string, number>
}

interface ChildStats {
  pid: number
  maxRssBytes: number
  rssBytes: number
  heapUsedBytes: number
  callLogLength: number
  sources: SourceStats[]
}

/** The plan, and the service's per-request bounds (USAGE_MAX_UPSTREAM_CALLS, ...). */
interface ChildPlan extends QueryPlanInfo {
  limits: { maxUpstreamCalls: number, maxPoints: number, maxRangeMs: number }
}

/** Mean CPU time per cached answer, stage by stage, measured in the service process. */
interface Breakdown { queryMs: number, formatMs: number, serializeMs: number, stringifyMs: number, bytes: number }

interface HttpAnswer { status: number, bytes: number, text: string, ms: number }

interface Child {
  serviceUrl: string
  controlUrl: string
  pid: number
  sources: string[]
  get(url: string): Promise<HttpAnswer>
  stats(since?: number): Promise<ChildStats>
  plan(search: string): Promise<ChildPlan>
  primeBare(search: string): Promise<number>
  breakdown(search: string, iterations: number): Promise<Breakdown>
  /** VmHWM (peak RSS) from /proc, when there is one. */
  procPeakRss(): number | null
  stop(): Promise<void>
}

const client = new Agent({ connections: 16, headersTimeout: 300_000, bodyTimeout: 300_000, keepAliveTimeout: 1_000 })

async function httpGet (url: string, method: 'GET' | 'POST' = 'GET'): Promise<HttpAnswer> {
  const started = performance.now()
  const response = await request(url, { method, dispatcher: client })
  const text = await response.body.text()
  return { status: response.statusCode, bytes: Buffer.byteLength(text), text, ms: performance.now() - started }
}

/** Waits for a forked child's 'ready' message. */
async function whenReady<T> (child: ChildProcess, what: string): Promise<T> {
  return await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${what} did not start within 60 s`)), 60_000)
    child.once('message', message => { clearTimeout(timer); resolve(message as T) })
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`the ${what} exited with ${code} before it was ready`)) })
  })
}

async function stopChild (child: ChildProcess, exitUrl: string): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  await httpGet(exitUrl, 'POST').catch(() => child.kill('SIGTERM'))
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

async function json<T> (url: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  const answer = await httpGet(url, method)
  if (answer.status !== 200) throw new Error(`${method} ${url} answered ${answer.status}: ${answer.text.slice(0, 300)}`)
  return JSON.parse(answer.text) as T
}

type SimulatorStats = Record<string, { calls: number, throttled: number, maxPerSecond: number }>

/** The simulated providers in a process of their own (upstream-child.ts). */
interface Upstream {
  pid: number
  sources: Array<{ id: string, kind: string, endpoint: string, credentials: { accessKeyId: string, accessKeySecret: string } }>
  stats(): Promise<SimulatorStats>
  /** Forgets the calls seen so far, so a scenario's busiest second is its own. */
  reset(): Promise<void>
  stop(): Promise<void>
}

async function startUpstream (settings: Settings): Promise<Upstream> {
  const child = fork(upstreamScript, [], { env: serviceEnvironment(settings), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const ready = await whenReady<{ controlUrl: string, pid: number, sources: Upstream['sources'] }>(child, 'upstream (simulators) child')
  return {
    pid: ready.pid,
    sources: ready.sources,
    stats: () => json<SimulatorStats>(`${ready.controlUrl}/stats`),
    reset: async () => { await json<unknown>(`${ready.controlUrl}/reset`, 'POST') },
    stop: () => stopChild(child, `${ready.controlUrl}/exit`)
  }
}

/**
 * The service's environment: the embedded default, or (with an upstream process) a sources file naming the
 * simulators, their credentials passed in variables as an operator would.
 */
function childEnvironment (settings: Settings, upstream: Upstream | null, extra: Record<string, string>): NodeJS.ProcessEnv {
  const environment = { ...serviceEnvironment(settings), ...extra }
  if (upstream === null) return environment
  const directory = mkdtempSync(join(tmpdir(), 'usage-bench-'))
  const file = join(directory, 'sources.json')
  const entries = upstream.sources.map((source, index) => {
    environment[`BENCH_SOURCE_${index}_KEY_ID`] = source.credentials.accessKeyId
    environment[`BENCH_SOURCE_${index}_KEY_SECRET`] = source.credentials.accessKeySecret
    return {
      id: source.id,
      kind: source.kind,
      endpoint: source.endpoint,
      credentials: { accessKeyIdEnv: `BENCH_SOURCE_${index}_KEY_ID`, accessKeySecretEnv: `BENCH_SOURCE_${index}_KEY_SECRET` }
    }
  })
  writeFileSync(file, JSON.stringify({ sources: entries }, null, 2))
  environment.USAGE_SOURCES_FILE = file
  return environment
}

async function startChild (settings: Settings, label: string, upstream: Upstream | null, extraEnvironment: Record<string, string> = {}): Promise<Child> {
  // The service runs with the V8 flags the bench was started with (npm run bench passes the service's own, as npm start
  // does), so every scenario measures the same runtime.
  const execArgv = [
    ...process.execArgv.filter(flag => !flag.startsWith('--cpu-prof')),
    ...settings.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${join(projectRoot, 'bench', 'profiles')}`, `--cpu-prof-name=service-${label}-${Date.now()}.cpuprofile`] : []
  ]
  const child: ChildProcess = fork(childScript, [], { env: childEnvironment(settings, upstream, extraEnvironment), execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const ready = await whenReady<{ serviceUrl: string, controlUrl: string, pid: number, sources: string[] }>(child, 'service child')
  const control = ready.controlUrl
  return {
    ...ready,
    get: url => httpGet(url),
    stats: async since => {
      const stats = await json<ChildStats>(`${control}/bench/stats?since=${since ?? 0}`)
      if (upstream === null) return stats
      // What the providers saw comes from their own process.
      const seen = await upstream.stats()
      for (const source of stats.sources) {
        const simulator = seen[source.kind]
        source.simulatorCalls = simulator?.calls ?? null
        source.simulatorThrottled = simulator?.throttled ?? null
        source.simulatorMaxPerSecond = simulator?.maxPerSecond ?? null
      }
      return stats
    },
    plan: search => json<ChildPlan>(`${control}/bench/plan?${search}`),
    primeBare: async search => (await json<{ bytes: number }>(`${control}/bench/prime-bare?${search}`, 'POST')).bytes,
    breakdown: (search, iterations) => json<Breakdown>(`${control}/bench/breakdown?${search}&iterations=${iterations}`),
    procPeakRss: () => {
      try {
        const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${ready.pid}/status`, 'utf8'))
        return match ? Number(match[1]) * 1024 : null
      } catch {
        return null
      }
    },
    stop: () => stopChild(child, `${control}/bench/exit`)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A measured query: planned minimum, floors, calls the simulators saw, wall time

interface MeasuredQuery {
  name: string
  search: string
  plan: QueryPlanInfo
  excluded: Array<{ id: string, kind: string, reason: string }>
  floors: FloorEstimate
  wallMs: number
  status: number
  bytes: number
  minimumCalls: number
  plannedCalls: number
  callsMade: number
  throttled: number
  /** First upstream call start to last upstream call end, in the child. */
  upstreamPhaseMs: number | null
  perSource: Array<{
    id: string
    kind: string
    status: string
    qps: number
    concurrency: number
    minimumCalls: number
    plannedCalls: number
    callsMade: number
    reportedCalls: number | null
    cachedCalls: number | null
    throttled: number
    gateFloorMs: number
    apiFloorMs: number
    upstreamMs: number | null
    meanAttemptMs: number | null
  }>
  complete: boolean | null
}

async function measureQuery (
  child: Child, settings: Settings, name: string, query: Omit<QueryOptions, 'now' | 'zone'>, options: { warmUp?: boolean } = {}
): Promise<MeasuredQuery> {
  const now = Date.now()
  const base: QueryOptions = { ...query, now, zone: settings.zone, timeoutSeconds: 120 }
  let search = usageSearch(base)
  let plan = await child.plan(search)
  // Sources are left out, and the table says so, where the query as asked would not be answered within the bench:
  // - a source whose floor alone exceeds the time budget (the service's longest deadline is 120 s);
  // - while the planned calls exceed the service's per-request bound (USAGE_MAX_UPSTREAM_CALLS), the source with the
  //   most planned calls: the service would refuse the whole query with QUERY_TOO_LARGE before calling anyone.
  const excluded: MeasuredQuery['excluded'] = []
  for (const source of plan.sources) {
    const floorMs = estimateFloors([{ calls: source.minimumCalls, qps: source.qps, concurrency: source.concurrency }], settings.latency, 50).gateMs
    if (floorMs > settings.queryBudgetSeconds * 1000) excluded.push({ id: source.id, kind: source.kind, reason: `floor ${formatMs(floorMs)} > ${settings.queryBudgetSeconds} s budget` })
  }
  const kept = () => plan.sources.filter(source => !excluded.some(left => left.id === source.id))
  const plannedCalls = () => kept().reduce((sum, source) => sum + source.plannedCalls, 0)
  while (plannedCalls() > plan.limits.maxUpstreamCalls && kept().length > 1) {
    const largest = kept().reduce((most, source) => source.plannedCalls > most.plannedCalls ? source : most)
    excluded.push({ id: largest.id, kind: largest.kind, reason: `${largest.plannedCalls} planned calls > ${plan.limits.maxUpstreamCalls} per request` })
  }
  if (excluded.length > 0) {
    search = usageSearch({ ...base, sources: kept().map(source => source.id) })
    plan = await child.plan(search)
  }
  if (options.warmUp) {
    // The same query shape over the same span in UTC (other windows), from the sources that answer it in one round,
    // so the measured query meets JIT-compiled code but a cold cache; then a pause, so every gate slot is free again.
    const quick = plan.sources.filter(source => source.minimumCalls > 0 && source.minimumCalls <= gateSlots(source.qps)).map(source => source.id)
    if (quick.length > 0) {
      const warm = await child.get(`${child.serviceUrl}/usage?${usageSearch({ ...base, zone: 'UTC', sources: quick })}`)
      if (warm.status !== 200) throw new Error(`${name} warm-up: /usage answered ${warm.status}: ${warm.text.slice(0, 300)}`)
      await sleep(1500)
    }
  }
  const floors = estimateFloors(plan.sources.map(source => ({ calls: source.minimumCalls, qps: source.qps, concurrency: source.concurrency })), settings.latency)
  const minimum = plan.sources.reduce((sum, source) => sum + source.minimumCalls, 0)
  log(`   ${name}: ${plan.buckets} buckets, minimum ${minimum} calls, gate floor ${formatMs(floors.gateMs)}` +
    (excluded.length > 0 ? `; left out: ${excluded.map(left => `${left.id} (${left.reason})`).join(', ')}` : ''))

  const before = await child.stats()
  const answer = await child.get(`${child.serviceUrl}/usage?${search}`)
  const after = await child.stats(before.callLogLength)
  if (answer.status !== 200) throw new Error(`${name}: /usage answered ${answer.status}: ${answer.text.slice(0, 500)}`)
  const body = JSON.parse(answer.text) as { complete: boolean, sources: Array<{ id: string, status: string, calls: number, cachedCalls: number }> }

  const perSource = plan.sources.map((source, index) => {
    const was = before.sources.find(entry => entry.id === source.id)
    const is = after.sources.find(entry => entry.id === source.id)
    const reported = body.sources.find(entry => entry.id === source.id)
    return {
      id: source.id,
      kind: source.kind,
      status: reported?.status ?? source.status,
      qps: source.qps,
      concurrency: source.concurrency,
      minimumCalls: source.minimumCalls,
      plannedCalls: source.plannedCalls,
      callsMade: (is?.simulatorCalls ?? 0) - (was?.simulatorCalls ?? 0),
      reportedCalls: reported?.calls ?? null,
      cachedCalls: reported?.cachedCalls ?? null,
      throttled: (is?.simulatorThrottled ?? 0) - (was?.simulatorThrottled ?? 0),
      gateFloorMs: floors.perSource[index]!.gateMs,
      apiFloorMs: floors.perSource[index]!.apiMs,
      upstreamMs: is?.firstStartMs != null && is.lastEndMs != null ? is.lastEndMs - is.firstStartMs : null,
      meanAttemptMs: is?.meanAttemptMs ?? null
    }
  })
  const starts = after.sources.map(source => source.firstStartMs).filter((value): value is number => value !== null)
  const ends = after.sources.map(source => source.lastEndMs).filter((value): value is number => value !== null)
  const sum = (pick: (entry: typeof perSource[number]) => number) => perSource.reduce((total, entry) => total + pick(entry), 0)
  log(`   → ${sum(entry => entry.callsMade)} upstream calls in ${formatMs(answer.ms)}, ${formatBytes(answer.bytes)} answer`)
  const failing = perSource.filter(entry => entry.status === 'failed' || entry.status === 'partial')
  if (failing.length > 0) log(`   warning: ${failing.map(entry => `${entry.id} is ${entry.status}`).join(', ')}: the figures of this query are not those of a healthy run`)
  return {
    name,
    search,
    plan,
    excluded,
    floors,
    wallMs: answer.ms,
    status: answer.status,
    bytes: answer.bytes,
    minimumCalls: sum(entry => entry.minimumCalls),
    plannedCalls: sum(entry => entry.plannedCalls),
    callsMade: sum(entry => entry.callsMade),
    throttled: sum(entry => entry.throttled),
    upstreamPhaseMs: starts.length > 0 ? Math.max(...ends) - Math.min(...starts) : null,
    perSource,
    complete: body.complete
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios

async function upstreamEfficiency (child: Child, settings: Settings): Promise<MeasuredQuery[]> {
  log('1. upstream efficiency, cold cache')
  const day = await measureQuery(child, settings, '90-day day', { fromDay: -89, toDay: 1, granularity: 'day' }, { warmUp: true })
  const hour = await measureQuery(child, settings, '31-day hour', { fromDay: -30, toDay: 1, granularity: 'hour' }, { warmUp: true })
  return [day, hour]
}

interface LoadRun { requestsPerSecond: number, p99Ms: number, p50Ms: number, non2xx: number, errors: number, completed: number }

async function load (url: string, settings: Settings, durationSeconds: number): Promise<LoadRun> {
  const result: AutocannonResult = await autocannon({ url, connections: settings.connections, duration: durationSeconds, pipelining: 1, timeout: 60 })
  const ok = result['2xx']
  return {
    requestsPerSecond: ok / result.duration,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    completed: result.totalCompletedRequests
  }
}

interface CachedOverhead {
  search: string
  bytes: number
  warm: MeasuredQuery
  cachedCheck: { calls: number, cachedCalls: number }
  rounds: Array<{ bare: LoadRun, service: LoadRun, throughputRatio: number, p99Ratio: number }>
  throughputRatio: number
  p99Ratio: number
  bare: { requestsPerSecond: number, p99Ms: number }
  service: { requestsPerSecond: number, p99Ms: number }
  breakdown: Breakdown
}

async function cachedOverhead (child: Child, settings: Settings): Promise<CachedOverhead> {
  log('2. overhead when cached: warming a 30-day hourly all-sources query (settled days, so nothing expires during the run)')
  const warm = await measureQuery(child, settings, '30-day hour cached', { fromDay: -32, toDay: -2, granularity: 'hour' })
  const search = warm.search
  const again = await child.get(`${child.serviceUrl}/usage?${search}`)
  const body = JSON.parse(again.text) as { sources: Array<{ calls: number, cachedCalls: number }> }
  const cachedCheck = {
    calls: body.sources.reduce((sum, source) => sum + source.calls, 0),
    cachedCalls: body.sources.reduce((sum, source) => sum + source.cachedCalls, 0)
  }
  if (cachedCheck.calls !== 0) log(`   warning: the second request still made ${cachedCheck.calls} upstream calls`)
  const bytes = await child.primeBare(search)
  const serviceUrl = `${child.serviceUrl}/usage?${search}`
  const bareUrl = `${child.controlUrl}/bare`
  log(`   answer ${formatBytes(bytes)}; autocannon ${settings.connections} connections, ${settings.rounds} × (bare ${settings.durationSeconds} s, service ${settings.durationSeconds} s)`)
  await load(bareUrl, settings, 1)
  await load(serviceUrl, settings, 1)
  const rounds: CachedOverhead['rounds'] = []
  for (let round = 0; round < settings.rounds; round++) {
    const bare = await load(bareUrl, settings, settings.durationSeconds)
    const service = await load(serviceUrl, settings, settings.durationSeconds)
    if (service.non2xx > 0 || service.errors > 0) log(`   warning: service round ${round + 1}: ${service.non2xx} non-2xx, ${service.errors} errors`)
    rounds.push({ bare, service, throughputRatio: service.requestsPerSecond / bare.requestsPerSecond, p99Ratio: bare.p99Ms / service.p99Ms })
    log(`   round ${round + 1}: bare ${bare.requestsPerSecond.toFixed(0)} req/s p99 ${bare.p99Ms} ms; service ${service.requestsPerSecond.toFixed(1)} req/s p99 ${service.p99Ms} ms`)
  }
  const breakdown = await child.breakdown(search, 20)
  log(`   per cached answer: query ${formatMs(breakdown.queryMs)}, format ${formatMs(breakdown.formatMs)}, serialize ${formatMs(breakdown.serializeMs)} (JSON.stringify alone ${formatMs(breakdown.stringifyMs)})`)
  return {
    search,
    bytes,
    breakdown,
    warm,
    cachedCheck,
    rounds,
    // Each round pairs runs taken seconds apart; the median pair is the figure.
    throughputRatio: median(rounds.map(round => round.throughputRatio)),
    p99Ratio: median(rounds.map(round => round.p99Ratio)),
    bare: { requestsPerSecond: median(rounds.map(round => round.bare.requestsPerSecond)), p99Ms: median(rounds.map(round => round.bare.p99Ms)) },
    service: { requestsPerSecond: median(rounds.map(round => round.service.requestsPerSecond)), p99Ms: median(rounds.map(round => round.service.p99Ms)) }
  }
}

interface Coalescing {
  search: string
  requests: number
  ok: number
  oneRequestCalls: number
  burstCalls: number
  throttled: number
  wallMs: number
  p99Ms: number
}

async function coalescing (child: Child, settings: Settings): Promise<Coalescing> {
  const search = usageSearch({ now: Date.now(), zone: settings.zone, fromDay: -45, toDay: -38, granularity: 'day', timeoutSeconds: 120 })
  const plan = await child.plan(search)
  const oneRequestCalls = plan.sources.reduce((sum, source) => sum + source.plannedCalls, 0)
  log(`4. coalescing: ${settings.burst} concurrent identical cold requests (7-day day query; one request plans ${oneRequestCalls} calls)`)
  const before = await child.stats()
  const started = performance.now()
  const result = await autocannon({ url: `${child.serviceUrl}/usage?${search}`, connections: settings.burst, amount: settings.burst, timeout: 120 })
  const wallMs = performance.now() - started
  const after = await child.stats()
  const delta = (pick: (source: SourceStats) => number | null) =>
    after.sources.reduce((sum, source, index) => sum + (pick(source) ?? 0) - (pick(before.sources[index]!) ?? 0), 0)
  return {
    search,
    requests: settings.burst,
    ok: result['2xx'],
    oneRequestCalls,
    burstCalls: delta(source => source.simulatorCalls),
    throttled: delta(source => source.simulatorThrottled),
    wallMs,
    p99Ms: result.latency.p99
  }
}

interface MemoryRun {
  query: MeasuredQuery
  bootPeakRssBytes: number
  peakRssBytes: number
  /** VmHWM from /proc, as a cross-check of process.resourceUsage().maxRSS. */
  procPeakRssBytes: number | null
  series: number
  points: number
}

interface Memory {
  runs: MemoryRun[]
  /** Medians over the runs (peak RSS depends on when the collector runs, so one process is not enough). */
  bootPeakRssBytes: number
  peakRssBytes: number
  answerBytes: number
  series: number
  points: number
  excluded: MeasuredQuery['excluded']
}

/** One fresh service process: its peak RSS after boot, then after the query (cold, so upstream answers are handled too). */
async function memoryRun (child: Child, settings: Settings): Promise<MemoryRun> {
  const boot = await child.stats()
  const query = await measureQuery(child, settings, '90-day hour, all dims', { fromDay: -89, toDay: 1, granularity: 'hour', groupBy: ALL_DIMENSIONS })
  const after = await child.stats()
  const procPeak = child.procPeakRss()
  const answer = await child.get(`${child.serviceUrl}/usage?${query.search}`)
  const body = JSON.parse(answer.text) as { series: Array<{ points: unknown[] }> }
  return {
    query,
    bootPeakRssBytes: boot.maxRssBytes,
    peakRssBytes: Math.max(after.maxRssBytes, procPeak ?? 0),
    procPeakRssBytes: procPeak,
    series: body.series.length,
    points: body.series.reduce((sum, series) => sum + series.points.length, 0)
  }
}

async function memory (settings: Settings, providers: Upstream | null): Promise<Memory> {
  const runs: MemoryRun[] = []
  for (let run = 0; run < settings.memoryRuns; run++) {
    log(`5. memory: 90-day hourly, all-dimensions query in a fresh service process (${run + 1} of ${settings.memoryRuns})`)
    const child = await startChild(settings, `memory-${run + 1}`, providers)
    try {
      runs.push(await memoryRun(child, settings))
    } finally {
      await child.stop()
    }
  }
  const last = runs[runs.length - 1]!
  return {
    runs,
    bootPeakRssBytes: median(runs.map(run => run.bootPeakRssBytes)),
    peakRssBytes: median(runs.map(run => run.peakRssBytes)),
    answerBytes: last.query.bytes,
    series: last.series,
    points: last.points,
    excluded: last.query.excluded
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The table

/** A query that left sources out is marked '*'; the notes say which and why. */
const marked = (query: { name: string, excluded: readonly unknown[] }) => query.excluded.length > 0 ? `${query.name}*` : query.name

function upstreamRows (queries: readonly MeasuredQuery[], latency: string): Row[] {
  const rows: Row[] = []
  const scenario = '1 upstream efficiency'
  for (const query of queries) {
    rows.push({
      scenario,
      figure: `${marked(query)}: calls made`,
      measured: `${query.callsMade} (${query.throttled} throttled)`,
      baseline: `${query.minimumCalls} minimum`,
      ratio: query.minimumCalls > 0 ? query.callsMade / query.minimumCalls : null,
      target: { kind: 'equal', value: 1 }
    })
    rows.push({
      scenario,
      figure: `${marked(query)}: wall / gate floor`,
      measured: `${formatMs(query.wallMs)}${query.upstreamPhaseMs === null ? '' : ` (calls ${formatMs(query.upstreamPhaseMs)})`}`,
      baseline: `${formatMs(query.floors.gateMs)} (L ${latency} ms)`,
      ratio: query.floors.gateMs > 0 ? query.wallMs / query.floors.gateMs : null,
      target: { kind: 'max', value: 1.1 }
    })
    rows.push({
      scenario,
      figure: `${marked(query)}: wall / API floor`,
      measured: formatMs(query.wallMs),
      baseline: `${formatMs(query.floors.apiMs)} ideal client`,
      ratio: query.floors.apiMs > 0 ? query.wallMs / query.floors.apiMs : null,
      target: null
    })
  }
  return rows
}

function cachedRows (cached: CachedOverhead): Row[] {
  const scenario = '2 overhead when cached'
  const breakdown = cached.breakdown
  const total = breakdown.queryMs + breakdown.formatMs + breakdown.serializeMs
  return [
    {
      scenario,
      figure: `${marked(cached.warm)}: requests/s (${formatBytes(cached.bytes)})`,
      measured: `${cached.service.requestsPerSecond.toFixed(1)} req/s`,
      baseline: `${cached.bare.requestsPerSecond.toFixed(0)} req/s bare route`,
      ratio: cached.throughputRatio,
      target: { kind: 'min', value: 0.8 }
    },
    {
      scenario,
      figure: 'p99 latency (bare p99 / service p99)',
      measured: `${cached.service.p99Ms.toFixed(0)} ms`,
      baseline: `${cached.bare.p99Ms.toFixed(0)} ms bare route`,
      ratio: cached.p99Ratio,
      target: { kind: 'min', value: 0.8 }
    },
    {
      scenario,
      figure: 'CPU/answer: query + format + serialize',
      measured: `${formatMs(breakdown.queryMs)} + ${formatMs(breakdown.formatMs)} + ${formatMs(breakdown.serializeMs)}`,
      baseline: `${formatMs(breakdown.stringifyMs)} JSON.stringify`,
      ratio: total / breakdown.stringifyMs,
      target: null
    }
  ]
}

function mergeRows (merge: MergeThroughput): Row[] {
  const scenario = '3 merge throughput'
  const pipelineRate = merge.points / (merge.pipelineMs / 1000)
  const parseRate = merge.points / (merge.parseMs / 1000)
  const mergeRate = merge.mergeOnlyPoints / (merge.mergeOnlyMs / 1000)
  const normalizeRate = merge.normalizePoints / (merge.normalizeMs / 1000)
  return [
    {
      scenario,
      figure: `normalize+merge ${formatCount(merge.points)} points`,
      measured: formatMs(merge.pipelineMs),
      baseline: `${formatMs(merge.parseMs)} JSON.parse ${formatBytes(merge.bodyBytes)}`,
      ratio: merge.pipelineMs / merge.parseMs,
      target: null
    },
    {
      scenario,
      figure: 'normalize+merge rate / 1 M points/s',
      measured: `${formatCount(pipelineRate)} points/s`,
      baseline: `JSON.parse: ${formatCount(parseRate)}/s`,
      ratio: pipelineRate / 1e6,
      target: { kind: 'min', value: 1 }
    },
    {
      scenario,
      figure: 'normalize alone (adapters) / 1 M/s',
      measured: `${formatCount(normalizeRate)} points/s`,
      baseline: '',
      ratio: normalizeRate / 1e6,
      target: null
    },
    {
      scenario,
      figure: 'merge alone (mergeSeries) / 1 M/s',
      measured: `${formatCount(mergeRate)} points/s`,
      baseline: '',
      ratio: mergeRate / 1e6,
      target: { kind: 'min', value: 1 }
    },
    {
      scenario,
      figure: 'normalize+merge / upstream at full QPS',
      measured: `${formatCount(pipelineRate)} points/s`,
      baseline: `${formatCount(merge.upstreamPointsPerSecond)} points/s`,
      ratio: pipelineRate / merge.upstreamPointsPerSecond,
      target: { kind: 'min', value: 1 }
    }
  ]
}

function coalescingRows (burst: Coalescing): Row[] {
  return [{
    scenario: '4 coalescing',
    figure: `${burst.requests} identical cold requests at once`,
    measured: `${burst.burstCalls} calls (${burst.throttled} throttled)`,
    baseline: `${burst.oneRequestCalls} for one request`,
    ratio: burst.oneRequestCalls > 0 ? burst.burstCalls / burst.oneRequestCalls : null,
    target: { kind: 'equal', value: 1 }
  }]
}

function memoryRows (memory: Memory): Row[] {
  const scenario = '5 memory'
  return [
    {
      scenario,
      figure: `${marked({ name: '90-day hour, all dims', excluded: memory.excluded })}: peak RSS`,
      measured: formatBytes(memory.peakRssBytes),
      baseline: `${formatBytes(memory.bootPeakRssBytes)} after boot`,
      ratio: memory.peakRssBytes / memory.bootPeakRssBytes,
      target: null
    },
    {
      scenario,
      figure: 'RSS growth / answer bytes',
      measured: formatBytes(memory.peakRssBytes - memory.bootPeakRssBytes),
      baseline: `${formatBytes(memory.answerBytes)} answer`,
      ratio: (memory.peakRssBytes - memory.bootPeakRssBytes) / memory.answerBytes,
      target: null
    }
  ]
}

/** A fixed first instant, so every run asks the simulators for the same data; 10:30 UTC is mid-hour, mid-day in Asia. */
const SLIDING_START = Date.parse('2026-11-20T10:30:00Z')

/** The service's settings (provisional TTL, cache, …) as the caller set them, the simulators without latency. */
function slidingEnvironment (settings: Settings): NodeJS.ProcessEnv {
  return { ...serviceEnvironment(settings), USAGE_SIMULATOR_LATENCY_MS: '0' }
}

function slidingNotes (result: SlidingWindowResult): string[] {
  const unaligned = result.sources.filter(source => source.unaligned).map(source => source.kind)
  return [
    `7 Sliding window: the 7 local days ending today, by day, asked ${result.steps} times as a fixed clock advances an hour from 2026-11-20T10:30Z, in-process`,
    '  (runUsageQuery, embedded simulators, memory: ledger or none); calls counted by the runtime\'s onCall. Floor (bench/lib/sliding-floor.ts): each',
    `  native bucket asked for once when settled, and again once per provisional TTL (${result.provisionalTtlMs / 1000} s, USAGE_CACHE_PROVISIONAL_TTL_MS) while not,`,
    '  in the fewest windows the span limit allows, × variants; without native buckets, each requested window the same way (never kept per bucket).',
    '  Buckets asked for: the calls\' windows in native buckets, against the buckets the floor asks for.',
    ...unaligned.length > 0 ? [`  Left out, day buckets in the zone not being whole native buckets: ${unaligned.join(', ')}.`] : []
  ]
}

function median (values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

// ---------------------------------------------------------------------------------------------------------------

async function main (): Promise<void> {
  const settings = readSettings(process.env)
  const runs = (scenario: number) => settings.only === null || settings.only.has(scenario)
  const started = performance.now()
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavg: loadavg() },
    settings: { ...settings, only: settings.only ? [...settings.only] : null }
  }
  const rows: Row[] = []
  if (settings.cpuProfile) mkdirSync(join(projectRoot, 'bench', 'profiles'), { recursive: true })

  // 3 first, while nothing else runs.
  let merge: MergeThroughput | null = null
  if (runs(3)) {
    log(`3. merge throughput: normalizing and merging ${formatCount(settings.mergePoints)} provider data points, in this process`)
    merge = await measureMergeThroughput({ zone: settings.zone, targetPoints: settings.mergePoints, environment: serviceEnvironment(settings) })
    results.mergeThroughput = merge
  }

  // 7 next, also in this process (PGlite and the simulators in-process; it counts calls, so load does not matter).
  let sliding: { withLedger: SlidingWindowResult, withoutLedger: SlidingWindowResult } | null = null
  if (runs(7)) {
    const window = { start: SLIDING_START, steps: settings.slidingSteps, stepMs: HOUR_MS, zone: settings.zone, days: 7, environment: slidingEnvironment(settings) }
    log(`7. sliding window: "last 7 days by day" at ${settings.slidingSteps} hourly steps, with a memory: ledger, then without`)
    sliding = { withLedger: await measureSlidingWindow({ ...window, ledger: true }), withoutLedger: await measureSlidingWindow({ ...window, ledger: false }) }
    results.slidingWindow = sliding
  }

  let upstream: MeasuredQuery[] | null = null
  let cached: CachedOverhead | null = null
  let burst: Coalescing | null = null
  let peak: Memory | null = null
  let replicas: ReplicaSharing | null = null
  // Replicas share one set of providers, as at a real provider: only a process of their own can be that.
  const replicasSkipped = !runs(6)
    ? null
    : settings.redisUrl === null
      ? '6 Replicas: skipped, no Redis (set BENCH_REDIS_URL or USAGE_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379).'
      : settings.upstream !== 'separate' ? '6 Replicas: skipped, it needs the simulated providers in a process of their own (BENCH_UPSTREAM=separate).' : null
  if (replicasSkipped !== null) log(replicasSkipped)
  const providers = settings.upstream === 'separate' && (runs(1) || runs(2) || runs(4) || runs(5) || runs(6)) ? await startUpstream(settings) : null
  if (providers) log(`simulated providers in process ${providers.pid}: ${providers.sources.map(source => source.kind).join(', ')}; latency ${settings.latencyText} ms`)
  try {
    if (runs(1) || runs(2)) {
      const child = await startChild(settings, 'upstream-and-cached', providers)
      log(`service process ${child.pid}: sources ${child.sources.join(', ')}`)
      try {
        if (runs(1)) upstream = await upstreamEfficiency(child, settings)
        if (runs(2)) cached = await cachedOverhead(child, settings)
      } finally {
        await child.stop()
      }
      results.upstreamEfficiency = upstream
      results.cachedOverhead = cached
    }
    if (runs(4)) {
      const child = await startChild(settings, 'coalescing', providers)
      try {
        burst = await coalescing(child, settings)
      } finally {
        await child.stop()
      }
      results.coalescing = burst
    }
    if (runs(5)) {
      peak = await memory(settings, providers)
      results.memory = peak
    }
    if (runs(6) && replicasSkipped === null && providers !== null && settings.redisUrl !== null) {
      replicas = await replicaSharing({
        redisUrl: settings.redisUrl,
        zone: settings.zone,
        requests: settings.burst,
        providers,
        start: async (label, environment) => await startChild(settings, label, providers, environment),
        log
      })
      results.replicas = replicas
    }
  } finally {
    await providers?.stop()
  }

  if (upstream) rows.push(...upstreamRows(upstream, settings.latencyText))
  if (cached) rows.push(...cachedRows(cached))
  if (merge) rows.push(...mergeRows(merge))
  if (burst) rows.push(...coalescingRows(burst))
  if (peak) rows.push(...memoryRows(peak))
  if (replicas) rows.push(...replicaRows(replicas))
  if (sliding) rows.push(...slidingRows(sliding.withLedger, sliding.withoutLedger))

  const table = formatTable(rows)
  const where = settings.upstream === 'separate'
    ? 'the simulated providers in a process of their own (BENCH_UPSTREAM=embedded: in the service\'s, as `npm start`)'
    : 'the embedded simulated providers in that process, as `npm start`'
  const notes = [
    `Upstream latency L = ${settings.latencyText} ms (BENCH_LATENCY_MS); tz ${settings.zone}; ${cpus().length} CPUs, load ${loadavg().map(value => value.toFixed(2)).join(' ')}; ${formatMs(performance.now() - started)} in all.`,
    `Service: a child process built as server.ts builds it (logger off), with ${where}.`,
    '  Clients, autocannon and scenario 3 run in the bench process. Peak RSS: process.resourceUsage().maxRSS and /proc VmHWM, in a fresh process.',
    '1 Calls made: as the simulated providers counted them. Minimum: ceil(fetchable span / max span) × variants per source with native buckets,',
    '  one per requested bucket (clipped) for a source without. "calls" after the wall time: first upstream call out to last answer in.',
    `  Gate floor, per source, max over sources: R·L + (R − 1)·(1000·S/qps + ${GATE_MARGIN_MS} ms), R = ceil(minimum calls / S), S = floor(qps) slots,`,
    '  a slot being reused 1 s after its call finished (rate-gate.ts); the expectation over L of an exact replay of the gate and concurrency cap.',
    '  API floor: an ideal client at the provider\'s limit, (ceil(calls / S) − 1) s + the last group\'s slowest L; the gap to the gate floor is',
    '  the price of the gate\'s one round trip per slot per second, not a target. Each query follows a warm-up of the same shape on other windows.',
    '2 Bare route: a plain Fastify route in the service process sending the same answer\'s bytes. CPU/answer: the route\'s steps in a loop, in-process.',
    '3 Points: provider numbers (records). normalize+merge: runUsageQuery over captured raw answers replayed through the adapters (no network);',
    '  normalize: the adapters alone (sign, JSON.parse, schema, convert); merge: mergeSeries alone. Upstream at full QPS: Σ points per call × qps.'
  ]
  if (replicas) {
    notes.push('6 Replicas: the 90-day day query of 1, cold, BENCH_BURST identical requests at once spread over 3 service processes (USAGE_REPLICAS=3)',
      '  sharing one Redis (BENCH_REDIS_URL, else USAGE_TEST_REDIS_URL) and the simulator process; calls and busiest second as the providers counted them.')
  }
  if (replicasSkipped !== null) notes.push(replicasSkipped)
  if (sliding) notes.push(...slidingNotes(sliding.withLedger))
  const leftOut = [...(upstream ?? []), ...(cached ? [cached.warm] : []), ...(peak ? [peak.runs[0]!.query] : [])]
    .flatMap(query => query.excluded.map(entry => `${query.name}: ${entry.kind} (${entry.reason})`))
  if (leftOut.length > 0) {
    notes.push('* Left out, the query being too large for one request or for the bench (USAGE_MAX_UPSTREAM_CALLS, BENCH_QUERY_BUDGET_S):')
    notes.push(...[...new Set(leftOut)].map(entry => `  ${entry}`))
  }
  process.stdout.write(`\n${table}\n\n${notes.join('\n')}\n`)
  const missed = rows.filter(row => verdictOf(row.ratio, row.target) === 'MISSED').map(row => `${row.scenario}: ${row.figure}`)
  results.table = rows.map(row => ({ ...row, result: row.target ? verdictOf(row.ratio, row.target) : null }))
  results.missed = missed
  results.durationMs = performance.now() - started
  writeFileSync(settings.resultsFile, JSON.stringify(results, null, 2) + '\n')
  process.stdout.write(`\nResults: ${settings.resultsFile}\n`)
  await client.close()
}

main().catch(error => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
