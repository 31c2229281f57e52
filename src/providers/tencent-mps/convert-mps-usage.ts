// Provider facts: docs/providers/tencent-mps.md
/**
 * Pure: DescribeUsageData `Data` to canonical records, one Usage record and one tasks.count record per TaskType
 * (and Specification, when broken down) per UTC+08:00 day inside the call window.
 *
 * Summary or Details, never both: Details split the Summary by Specification, so adding them would double count.
 * Details are read only when a query groups or filters by `spec`, and then must add up to the Summary exactly, day
 * by day, in Usage and in Count; otherwise the answer is refused (UPSTREAM_MALFORMED) rather than giving a spec
 * breakdown whose total disagrees with the same query without it. A TaskType without Details (AIReview and
 * AnimatedGraphics have no sub-specifications) keeps its Summary, without a `spec`.
 *
 * Also refused (UPSTREAM_MALFORMED): a day listed twice in one list (the shared repeated-bucket check), a TaskType
 * listed twice, a TaskType the call did not ask for (its usage would land in a metric the source does not feed), and
 * a non-empty Data that leaves out a TaskType the call asked for (its metric would read 0 although nothing was
 * reported). `Data` null or [] is the one empty shape read as no usage at all. A day absent from a listed Summary is
 * a day without usage (the API lists days, zeros included) and reads 0; Count and Usage themselves are required.
 */
import { UpstreamError } from '../../errors.js'
import { isOnGrid, type NativeGrid, type TimeRange } from '../../time/index.js'
import type { UsageRecord } from '../../usage/source-adapter.js'
import { ProviderBuckets } from '../utils/provider-buckets.js'
import { addExactly } from '../utils/provider-numbers.js'
import { byText } from '../utils/provider-times.js'
import type { MpsTaskStatData, MpsTaskStatDataItem } from './mps-api.js'
import { TASKS_METRIC, usageMetricOf } from './mps-metrics.js'
import { parseIsoWithOffset } from './mps-time.js'

const SERVICE = 'mps'

export type MpsBreakdown = 'summary' | 'specification'

export interface ConvertMpsOptions {
  window: TimeRange
  grid: NativeGrid
  breakdown: MpsBreakdown
  /** Dimensions every record of the call carries (the region of a one-region call). */
  dimensions: Readonly<Record<string, string>>
  /** The Types the call asked for; when given, Data must answer for exactly these (or be empty). */
  taskTypes?: readonly string[]
}

interface DayAmount { count: number, usage: number }

export function convertMpsUsage (data: readonly MpsTaskStatData[], options: ConvertMpsOptions): UsageRecord[] {
  const records: UsageRecord[] = []
  const seenTypes = new Set<string>()
  const asked = options.taskTypes
  const startOf = byText(parseIsoWithOffset)
  for (const entry of data) {
    if (seenTypes.has(entry.TaskType)) malformed(`TaskType ${entry.TaskType} appears twice in Data`)
    if (asked !== undefined && !asked.includes(entry.TaskType)) {
      malformed(`Data answers for TaskType ${entry.TaskType.slice(0, 40)}, which the call did not ask for (Types ${JSON.stringify(asked)})`)
    }
    seenTypes.add(entry.TaskType)
    const base = { service: SERVICE, ...options.dimensions, task: entry.TaskType }
    const summary = readDays(entry.Summary ?? [], options.grid, `${entry.TaskType} Summary`, startOf)
    const details = entry.Details ?? []
    if (options.breakdown === 'specification' && details.length > 0) {
      const bySpecification = new Map<string, Map<number, DayAmount>>()
      for (const detail of details) {
        if (bySpecification.has(detail.Specification)) malformed(`${entry.TaskType} Details list Specification ${detail.Specification} twice`)
        bySpecification.set(detail.Specification, readDays(detail.Data ?? [], options.grid, `${entry.TaskType} Details ${detail.Specification}`, startOf))
      }
      assertDetailsMatchSummary(entry.TaskType, summary, [...bySpecification.values()])
      for (const [specification, days] of bySpecification) {
        pushDays(records, days, entry.TaskType, { ...base, spec: specification }, options)
      }
    } else {
      pushDays(records, summary, entry.TaskType, base, options)
    }
  }
  const missing = data.length === 0 || asked === undefined ? [] : asked.filter(type => !seenTypes.has(type))
  if (missing.length > 0) {
    malformed(`Data has no entry for TaskType ${missing.join(', ')} although the call asked for it: an absent type is not a reported zero`)
  }
  return records
}

function pushDays (
  records: UsageRecord[], days: ReadonlyMap<number, DayAmount>, taskType: string, dimensions: Record<string, string>, options: ConvertMpsOptions
): void {
  const usageMetric = usageMetricOf(taskType)
  // One frozen dimensions object for all the records of this task (and spec): read, never changed, downstream.
  const shared = Object.freeze({ ...dimensions })
  for (const [start, amount] of days) {
    // A day outside the window belongs to the neighbouring window (the API includes EndTime's day): counting it here would double it.
    if (start < options.window.from || start >= options.window.to) continue
    const end = start + options.grid.stepMs
    records.push({ metric: usageMetric, start, end, value: amount.usage, dimensions: shared })
    records.push({ metric: TASKS_METRIC, start, end, value: amount.count, dimensions: shared })
  }
}

/** Day start → amount; a Time off the grid, unreadable, or listed twice is refused. */
/** Reads a Time text into its instant, once per distinct text of one answer. */
type StartReader = (text: string) => number | null

function readDays (items: readonly MpsTaskStatDataItem[], grid: NativeGrid, where: string, startOf: StartReader): Map<number, DayAmount> {
  const days = new Map<number, DayAmount>()
  const buckets = new ProviderBuckets(`DescribeUsageData ${where}`, []).groupOf([])
  for (const item of items) {
    const start = startOf(item.Time)
    if (start === null) malformed(`${where}: Time ${JSON.stringify(item.Time).slice(0, 40)} is not an ISO 8601 time with an offset`)
    if (!isOnGrid(start, grid)) malformed(`${where}: Time ${item.Time} is not the start of a ${grid.label}`)
    buckets.claim(start)
    days.set(start, { count: item.Count, usage: item.Usage })
  }
  return days
}

function assertDetailsMatchSummary (taskType: string, summary: ReadonlyMap<number, DayAmount>, details: ReadonlyArray<ReadonlyMap<number, DayAmount>>): void {
  const sums = new Map<number, DayAmount>()
  for (const days of details) {
    for (const [start, amount] of days) {
      let sum = sums.get(start)
      if (sum === undefined) {
        sum = { count: 0, usage: 0 }
        sums.set(start, sum)
      }
      // The message is made only for a refusal: this runs for every day of every specification.
      sum.count = addExactly(sum.count, amount.count, () => `${taskType} Details of the day starting ${new Date(start).toISOString()}, Count`)
      sum.usage = addExactly(sum.usage, amount.usage, () => `${taskType} Details of the day starting ${new Date(start).toISOString()}, Usage`)
    }
  }
  for (const start of new Set([...summary.keys(), ...sums.keys()])) {
    const total = summary.get(start) ?? NOTHING
    const sum = sums.get(start) ?? NOTHING
    if (total.usage !== sum.usage || total.count !== sum.count) {
      malformed(`${taskType} Details for the day starting ${new Date(start).toISOString()} add up to Usage ${sum.usage}, Count ${sum.count} ` +
        `but Summary says Usage ${total.usage}, Count ${total.count}: no exact breakdown by spec; query without spec`)
    }
  }
}

const NOTHING: DayAmount = Object.freeze({ count: 0, usage: 0 })

function malformed (message: string): never {
  throw new UpstreamError('UPSTREAM_MALFORMED', message)
}
