/**
 * Orchestration: select sources, plan their calls, run them within each source's budget, merge.
 * The only I/O is through each source's executor; planning and merging stay pure.
 */
import { setMaxListeners } from 'node:events'
import pLimit from 'p-limit'
import type { Clock } from '../clock.js'
import { UsageError, UpstreamError, isUsageError } from '../errors.js'
import { formatInstant, widenRange, type TimeRange } from '../time/index.js'
import type { Dimension } from './source-adapter.js'
import { MisalignedRecordError, UnsafeSumError, mergeSeries, type SourceOutcome, type SourceSpan } from './merge-series.js'
import { longestWindowMs, planSource, type PlanQuery, type SourcePlan } from './plan-source.js'
import { rolledUpVariants } from './kept-variants.js'
import { gapRecords, settledWrite, shareFromLedger, runsOf, type LedgerShare, type UsageLedger } from './source-ledger.js'
import { ledgerWarnings } from './ledger-warnings.js'
import { deadlineFailure, deadlineWarning, mergeRanges, type DeadlineCut } from './deadline-warning.js'
import { checkEstimatedPoints, checkMergedPoints, checkPlannedCalls, checkRange, listBucketsWithin, resolveLimits, type QueryLimits } from './query-limits.js'
import { SecretRedactor } from '../security/secret-redactor.js'
import { IDENTITY_DIMENSIONS, selectSources, sourceIdentity, type SelectedSource } from './select-sources.js'
import type { UsageRecord } from './source-adapter.js'
import { metricUnitOf } from './metric-unit.js'
import type { RuntimeSource } from './source-executor.js'
import type { Filters, SourceErrorReport, SourceReport, UpstreamPart, UsageAnswer, UsageQuery, UsageWarning } from './usage-query.js'

export interface RunOptions {
  sources: readonly RuntimeSource[]
  clock: Clock
  /** The request's deadline: every upstream call stops waiting when it aborts. */
  signal: AbortSignal
  /**
   * The monotonic (performance.now) instant at which `signal` aborts, when it is a deadline: a retry that could
   * only start after it fails the call at once with the provider's error.
   */
  deadlineAt?: number
  /** Bounds on range, buckets, upstream calls and points; the defaults where omitted. */
  limits?: Partial<QueryLimits>
  /** Scrubs secrets from provider error messages; by default one that knows the sources' secrets. */
  redactor?: SecretRedactor
  /**
   * The usage ledger, read before any call and written after: null or absent when the deployment keeps none
   * (then `asOf` is refused).
   */
  ledger?: UsageLedger | null
}

/**
 * How many of a source's calls one query hands its executor at a time. The account's budget lets a few through at
 * once anyway (at most 64 in flight, 8 by default); the rest would only wait there. Handed all at once, a kind without
 * native buckets (one call per bucket: 2 160 for 90 days by hour) kept thousands of waiting calls alive, much of the
 * collector's work, and queued another query's single call for the same account behind all of them. A call not yet
 * handed over is not yet visible to coalescing: an identical query arriving meanwhile starts it, and this one joins
 * it when its turn comes (or finds its answer in the cache), so the call is still made once.
 */
const LAUNCH_WINDOW = 64

interface SourceRun {
  selected: SelectedSource
  plan: SourcePlan
  outcome: SourceOutcome
  report: SourceReport
  upstream: UpstreamPart[]
  deadlineCut: DeadlineCut
  /** What the ledger answered and what it was asked to keep; null when the ledger took no part. */
  ledger: LedgerShare | null
  /** Why settled buckets fetched for this answer could not be kept, or null. */
  writeProblem: string | null
}

export async function runUsageQuery (query: UsageQuery, options: RunOptions): Promise<UsageAnswer> {
  // Every upstream call of the query listens to its signal: dozens of listeners are expected, not a leak.
  setMaxListeners(0, options.signal)
  // Whole seconds: every boundary the answer depends on (native grids, lookback, settle delays) is a whole
  // second, so one query in one second has exactly one answer for the same upstream data.
  const now = Math.floor(options.clock.now() / 1000) * 1000
  const limits = resolveLimits(options.limits)
  const redactor = options.redactor ?? SecretRedactor.forCredentials(options.sources.map(source => source.config.credentials))
  checkRange(query.from, query.to, limits)
  const asOf = query.asOf ?? null
  const ledger = options.ledger ?? null
  if (asOf !== null && ledger === null) {
    throw new UsageError('INVALID_QUERY', 'asOf answers from the usage ledger, and this deployment keeps none (USAGE_STORE_URL)', {
      details: [{ parameter: 'asOf', message: 'this deployment keeps no usage ledger; leave asOf out' }]
    })
  }
  const range = widenRange({ from: query.from, to: query.to }, query.granularity, query.zone)
  const buckets = listBucketsWithin(range, query.granularity, query.zone, limits)

  const { selected, warnings } = selectSources(options.sources, query.filters, query.metrics)
  if (selected.length === 0) {
    throw new UsageError('NO_SOURCES', 'no configured source matches the provider, source, metrics and filters given', {
      details: options.sources.map(({ config }) => ({
        source: config.id,
        kind: config.kind,
        message: warnings.find(warning => warning.source === config.id)?.message ?? 'not selected by the provider, source or metrics given'
      }))
    })
  }
  warnings.push(...metricWarnings(query, selected))
  checkEstimatedPoints(selected, query.groupBy, IDENTITY_DIMENSIONS, buckets.length, limits)

  const planQuery = { range, buckets, granularity: query.granularity, zone: query.zone, groupBy: query.groupBy, filters: pushdownFilters(query.filters), now }
  const planned = await Promise.all(selected.map(async source => {
    const plan = planSource(source.runtime.adapter, source.runtime.config, planQuery)
    return { source, ...await withLedger(plan, source, planQuery, ledger, asOf) }
  }))
  if (planned.every(({ plan }) => plan.status === 'unaligned')) {
    throw new UsageError('UNALIGNED_QUERY', `no selected source can deliver exact ${query.granularity} buckets in ${query.zone}`, {
      details: planned.map(({ source, plan }) => ({
        source: source.runtime.config.id,
        message: plan.status === 'unaligned' ? plan.message : '',
        suggestedZones: plan.status === 'unaligned' ? plan.suggestedZones : []
      }))
    })
  }

  checkPlannedCalls(planned, limits)

  const runs = await Promise.all(planned.map(({ source, plan, share }) => runSource(source, plan, share, query, range, now, options, redactor, ledger)))
  for (const run of runs) warnings.push(...sourceWarnings(run, query))
  warnings.push(...ledgerWarnings(runs.map(run => ({ source: run.selected.runtime.config.id, share: run.ledger, writeProblem: run.writeProblem })), query.zone, asOf))

  let series
  try {
    series = mergeSeries({ buckets, groupBy: query.groupBy, sources: runs.map(run => run.outcome) })
  } catch (error) {
    if (error instanceof MisalignedRecordError) throw new UsageError('INTERNAL', 'a provider record did not fit the planned buckets', { cause: error })
    if (error instanceof UnsafeSumError) throw valueTooLarge(error, query)
    throw error
  }
  checkMergedPoints(series, buckets.length, limits)
  const reports = runs.map(run => run.report)
  const complete = reports.every(report => report.status === 'ok') &&
    series.every(entry => entry.points.every(point => point.state !== 'incomplete'))
  const settled = runs.every(run => range.to <= run.outcome.settledBefore)
  const deadlinePassed = options.signal.aborted
  // Sent anyway (a 504 only with strict=true): the warning says what the deadline left out.
  if (deadlinePassed && !complete) warnings.push(deadlineWarning(runs.map(run => run.deadlineCut), query.zone))
  const upstream = runs.flatMap(run => run.upstream)
  const cachedTimes = upstream.map(part => part.cachedAt).filter((time): time is number => time !== null)
  const oldestCachedAt = cachedTimes.length > 0 ? Math.min(...cachedTimes) : null
  return {
    range, buckets, series, complete, settled, sources: reports, warnings, oldestCachedAt, now, deadlinePassed, upstream
  }
}

/** A sum past 2^53 − 1 is never rounded: the query is refused, naming the metric, series and bucket. */
function valueTooLarge (error: UnsafeSumError, query: UsageQuery): UsageError {
  const where = error.bucket === null
    ? 'the total of the range'
    : `the bucket ${formatInstant(error.bucket.start, query.zone)} to ${formatInstant(error.bucket.end, query.zone)}`
  const series = Object.keys(error.dimensions).length === 0 ? '' : ` (${JSON.stringify(error.dimensions)})`
  return new UsageError('VALUE_TOO_LARGE',
    `${error.metric}${series}: ${where} adds up to about ${error.approximate}, past ${Number.MAX_SAFE_INTEGER}, the largest integer ` +
    `answered exactly; nothing is rounded. Ask for ${error.bucket === null ? 'a shorter range' : 'a finer granularity, a shorter range'} or group by more dimensions`, {
      details: [{
        metric: error.metric,
        dimensions: error.dimensions,
        start: error.bucket === null ? null : formatInstant(error.bucket.start, query.zone),
        end: error.bucket === null ? null : formatInstant(error.bucket.end, query.zone),
        largestExact: Number.MAX_SAFE_INTEGER
      }],
      cause: error
    })
}

/**
 * Reads the ledger for a source with native buckets and replaces the planned calls by the calls for what it lacks.
 * Without a ledger (and without asOf) the plan stays as it is. Kinds without native buckets are not kept: as of an
 * instant they have nothing to answer.
 */
async function withLedger (
  plan: SourcePlan, source: SelectedSource, query: Pick<PlanQuery, 'groupBy' | 'filters'>, ledger: UsageLedger | null, asOf: number | null
): Promise<{ plan: SourcePlan, share: LedgerShare | null }> {
  if (plan.status !== 'planned' || (ledger === null && asOf === null)) return { plan, share: null }
  const { config, adapter } = source.runtime
  if (plan.grid === null) {
    if (asOf === null) return { plan, share: null }
    const notInLedger = plan.spans.filter(span => span.status !== 'future').map(span => ({ from: span.from, to: span.to }))
    const share: LedgerShare = {
      calls: [],
      gapsByCall: new Map(),
      records: [],
      ledgerBuckets: 0,
      restated: [],
      outOfRange: null,
      problem: null,
      notInLedger,
      spans: notInLedger.map(range => ({ ...range, status: 'not_in_ledger' as const }))
    }
    return { plan: { ...plan, calls: [] }, share }
  }
  const variants = rolledUpVariants(adapter, config.settings, plan.grid, query) ?? plan.variants
  const share = await shareFromLedger({
    ledger, sourceId: config.id, grid: plan.grid, variants, spans: plan.spans, longestWindowMs: longestWindowMs(adapter, plan.grid), asOf
  })
  return { plan: { ...plan, calls: share.calls }, share }
}

/** Provider and source are applied by selection; the rest go to the adapters. */
function pushdownFilters (filters: Filters): Filters {
  const rest: Filters = {}
  for (const [name, values] of Object.entries(filters) as Array<[Dimension, readonly string[]]>) {
    if (!IDENTITY_DIMENSIONS.includes(name)) rest[name] = values
  }
  return rest
}

async function runSource (
  selected: SelectedSource, plan: SourcePlan, share: LedgerShare | null, query: UsageQuery, range: TimeRange, now: number,
  { signal, deadlineAt }: Pick<RunOptions, 'signal' | 'deadlineAt'>, redactor: SecretRedactor, ledger: UsageLedger | null
): Promise<SourceRun> {
  const { config, adapter, executor } = selected.runtime
  const identity = sourceIdentity(selected.runtime)
  const base = { identity, metrics: selected.metrics, settledBefore: now - executor.settleDelayMs }
  const report: SourceReport = {
    id: config.id,
    kind: config.kind,
    provider: adapter.provider,
    account: config.account ?? null,
    status: 'ok',
    calls: 0,
    cachedCalls: 0,
    ledgerBuckets: share?.ledgerBuckets ?? 0,
    simulated: config.simulated,
    error: null,
    outOfRange: null
  }
  if (plan.status === 'unaligned') {
    report.status = 'unaligned'
    const outcome: SourceOutcome = { ...base, records: [], spans: [{ from: range.from, to: range.to, status: 'unaligned' }] }
    return { selected, plan, outcome, report, upstream: [], deadlineCut: { source: config.id, cutCalls: 0, calls: 0, ranges: [] }, ledger: null, writeProblem: null }
  }

  // Classified as each call fails: a failure after the deadline is the deadline's only if it happened after it.
  // Handed to the executor a window at a time (see LAUNCH_WINDOW); one whose turn comes after the deadline fails at once.
  const launch = pLimit(LAUNCH_WINDOW)
  const results = await Promise.allSettled(plan.calls.map(call => launch(async () => await executor.run(call, signal, deadlineAt))
    .catch((reason: unknown) => { throw deadlineFailure(reason, signal) })))
  const upstream: UpstreamPart[] = []
  const records: UsageRecord[] = []
  // With the ledger, its share tiles everything before the future span; the planner's spans say only what is to come.
  const spans: SourceSpan[] = plan.spans
    .filter(span => span.status !== 'planned' && (share === null || span.status === 'future'))
    .map(span => ({ from: span.from, to: span.to, status: span.status as SourceSpan['status'] }))
  const filters = recordFilters(query.filters)
  if (share !== null) {
    spans.push(...share.spans)
    for (const record of share.records) {
      if (selected.metrics.has(record.metric) && (filters.length === 0 || matchesFilters(record, filters))) records.push(record)
    }
  }
  const writes: Array<Promise<unknown>> = []
  const unitOf = metricUnitOf(adapter)
  let failedCalls = 0
  let firstError: unknown = null
  const cutWindows: TimeRange[] = []
  results.forEach((result, index) => {
    const call = plan.calls[index]!
    // One span per call: a window whose other variants succeeded still delivers what they obtained. With the
    // ledger, a call delivers only the buckets it was made for; the ledger answers the others of its window.
    const gaps = share?.gapsByCall.get(call.key) ?? null
    const status = result.status === 'fulfilled' ? 'ok' as const : 'failed' as const
    if (gaps === null) spans.push({ from: call.window.from, to: call.window.to, status })
    else spans.push(...runsOf(gaps).map(run => ({ ...run, status })))
    const cachedAt = result.status === 'fulfilled' ? result.value.cachedAt : null
    upstream.push({ source: config.id, key: call.key, cachedAt })
    if (result.status === 'fulfilled') {
      if (cachedAt === null) report.calls++
      else report.cachedCalls++
      const fetched = gaps === null || plan.grid === null ? result.value.result.records : gapRecords(result.value.result, gaps, plan.grid)
      if (gaps !== null && plan.grid !== null && ledger !== null && share?.problem === null) {
        // A write refused before it starts (an inexact record) is a lost write like any other, never the answer's failure.
        try {
          const write = settledWrite({
            sourceId: config.id, call, gaps, grid: plan.grid, result: result.value.result, fetchedAt: cachedAt ?? now, settleDelayMs: executor.settleDelayMs, unitOf
          })
          if (write !== null) writes.push(ledger.writeSettled(write))
        } catch (error) {
          writes.push(Promise.reject(error))
        }
      }
      for (const record of fetched) {
        if (!selected.metrics.has(record.metric) || (filters.length > 0 && !matchesFilters(record, filters))) continue
        // Not copied to add provider and source: the merger takes those from the outcome's identity. Copying every
        // record (often cached, so the same ones again) was a large part of a cached answer's time and garbage.
        records.push(record)
      }
    } else {
      report.calls++
      failedCalls++
      firstError ??= result.reason
      if (isUsageError(result.reason) && result.reason.code === 'DEADLINE_EXCEEDED') cutWindows.push(call.window)
    }
  })

  // Written before answering, so that the next query (or a restart) finds them; a store that fails costs a warning, never the answer.
  const written = await Promise.allSettled(writes)
  const failedWrite = written.find(outcome => outcome.status === 'rejected')
  const writeProblem = failedWrite === undefined ? null : messageOf(failedWrite.reason)

  const outOfRange = share === null ? plan.spans.find(span => span.status === 'out_of_range') : share.outOfRange
  if (outOfRange) report.outOfRange = { from: outOfRange.from, to: outOfRange.to }
  if (firstError !== null) {
    report.error = redactor.deep(errorReport(firstError))
    report.status = failedCalls === plan.calls.length && report.ledgerBuckets === 0 ? 'failed' : 'partial'
  } else if (outOfRange) {
    report.status = 'out_of_range'
  } else if (share !== null && share.notInLedger.length > 0) {
    report.status = 'partial'
  }
  const deadlineCut = { source: config.id, cutCalls: cutWindows.length, calls: plan.calls.length, ranges: mergeRanges(cutWindows) }
  return { selected, plan, outcome: { ...base, records, spans }, report, upstream, deadlineCut, ledger: share, writeProblem }
}

function messageOf (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The filters a record must pass: those of its own dimensions (provider, source and account are applied by selection). */
function recordFilters (filters: Filters): Array<[Dimension, readonly string[]]> {
  return (Object.entries(filters) as Array<[Dimension, readonly string[]]>).filter(([name]) => !IDENTITY_DIMENSIONS.includes(name))
}

/** A record is kept only if it carries every filtered dimension with an allowed value. */
function matchesFilters (record: UsageRecord, filters: ReadonlyArray<[Dimension, readonly string[]]>): boolean {
  for (const [name, values] of filters) {
    const value = record.dimensions[name]
    if (value === undefined || !values.includes(value)) return false
  }
  return true
}

/** Provider messages may echo request parameters; the caller redacts the report before it leaves. */
function errorReport (error: unknown): SourceErrorReport {
  if (error instanceof UpstreamError) {
    return { code: error.code, message: error.message, providerCode: error.providerCode, requestId: error.requestId }
  }
  if (isUsageError(error)) return { code: error.code, message: error.message, providerCode: null, requestId: null }
  // AbortSignal.timeout rejects with a TimeoutError; a cancelled wait with an AbortError.
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { code: 'DEADLINE_EXCEEDED', message: 'the request deadline passed before this call finished', providerCode: null, requestId: null }
  }
  return { code: 'INTERNAL', message: 'the call failed unexpectedly', providerCode: null, requestId: null }
}

function metricWarnings (query: UsageQuery, selected: readonly SelectedSource[]): UsageWarning[] {
  if (query.metrics === null) return []
  return query.metrics
    .filter(metric => !selected.some(source => source.metrics.has(metric)))
    .map(metric => ({ type: 'metric_unavailable' as const, source: null, message: `no selected source reports ${metric}` }))
}

function sourceWarnings (run: SourceRun, query: UsageQuery): UsageWarning[] {
  const { config, adapter } = run.selected.runtime
  const warnings: UsageWarning[] = []
  if (run.plan.status === 'unaligned') {
    warnings.push({ type: 'unaligned', source: config.id, message: run.plan.message, suggestedZones: run.plan.suggestedZones })
  }
  if (run.report.outOfRange) {
    const { from, to } = run.report.outOfRange
    const days = Math.round(adapter.limits.lookbackMs / 86_400_000)
    warnings.push({
      type: 'out_of_range',
      source: config.id,
      message: `source '${config.id}' keeps ${days} days of data: ${formatInstant(from, query.zone)} to ${formatInstant(to, query.zone)} is out of range and reported as null, not zero`
    })
  }
  if (run.report.error) {
    // The provider's message is reported once, in sources[]: copied here too it doubled the size of an answer.
    warnings.push({
      type: 'source_failed',
      source: config.id,
      message: `source '${config.id}' failed for part or all of the range (${run.report.error.code}); its entry in sources[] holds the error`
    })
  }
  const reportable = new Set<string>([...Object.keys(sourceIdentity(run.selected.runtime)), ...adapter.metrics.flatMap(mapping => mapping.dimensions)])
  const missing = query.groupBy.filter(name => !reportable.has(name))
  if (missing.length > 0) {
    warnings.push({
      type: 'group_unsupported',
      source: config.id,
      message: `source '${config.id}' (${adapter.kind}) cannot break usage down by ${missing.join(', ')}; its usage appears with ${missing.join(', ')} null`
    })
  }
  return warnings
}
