// Provider facts: docs/providers/tencent-mps.md
/**
 * Source kind `tencent.mps`: Tencent Cloud MPS usage per UTC+08:00 day (DescribeUsageData).
 *
 * - Types and ProcessRegions are always sent: the API's defaults (Transcode in ap-guangzhou) silently lose the rest.
 * - Window [from, to) on the day grid → StartTime = from, EndTime = the start of the window's last day, both written
 *   in +08:00. The API includes the day containing EndTime (docs/providers/tencent-mps.md#traps), so this asks for
 *   exactly the window's days; any day answered outside the window is still dropped, so adjacent windows never count
 *   a day twice or not at all.
 * - The response does not name regions, so grouping or filtering by region costs one call per region.
 * - A `region` or `task` filter value is sent as given, even if it is not among the configured ones: the settings
 *   are the default scope, not an allow-list. A value the API does not know comes back as its InvalidParameterValue
 *   (UPSTREAM_PARAMETER), never as a silent zero.
 */
import { z } from 'zod'
import { isOnGrid, type NativeGrid } from '../../time/index.js'
import type { CallVariant, PushdownQuery, SourceAdapter } from '../../usage/source-adapter.js'
import { callTencentApi } from '../tencent/tencent-api-call.js'
import { convertAnswer, parseAnswer } from '../utils/provider-answer.js'
import { convertMpsUsage, type MpsBreakdown } from './convert-mps-usage.js'
import {
  MPS_ACTION, MPS_PROCESS_REGIONS, MPS_SERVICE, MPS_TASK_TYPES, MPS_VERSION, mpsUsageResponseSchema
} from './mps-api.js'
import { MPS_EXTRA_METRICS, MPS_METRIC_MAPPINGS, metricsOfTaskTypes } from './mps-metrics.js'
import { DAY_MS, UTC8_DAY_GRID, formatUtcPlus8 } from './mps-time.js'

function uniqueList<T extends string> (values: readonly [T, ...T[]], what: string) {
  return z.array(z.enum(values)).min(1, `list at least one ${what}`)
    .refine(list => new Set(list).size === list.length, `${what} listed twice`)
}

const settingsSchema = z.object({
  /** ProcessRegions asked for; default every documented region. */
  regions: uniqueList(MPS_PROCESS_REGIONS, 'region').default([...MPS_PROCESS_REGIONS]),
  /** Types asked for; default every documented request type. */
  taskTypes: uniqueList(MPS_TASK_TYPES, 'task type').default([...MPS_TASK_TYPES]),
  /** TC3 credential-scope service; 'mps' for every MPS host, public or region-pinned. */
  service: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lowercase service name such as mps').default(MPS_SERVICE)
}).strict()

export type MpsSettings = z.infer<typeof settingsSchema>

/** One call's request lists, sent as they are, and how its answer is read. */
// A type, not an interface: the spec requires plain JSON data, which only a type alias is checked against.
export type MpsCallParameters = {
  /** Types: never empty, never left out (the API would fall back to Transcode alone without a word). */
  types: string[]
  /** ProcessRegions: likewise, or the API would answer for ap-guangzhou alone. */
  regions: string[]
  /** Details are read only when asked for: Summary and Details together would count the usage twice. */
  breakdown: MpsBreakdown
}

export const mpsAdapter: SourceAdapter<MpsSettings, MpsCallParameters> = {
  specificationVersion: 'v1',
  kind: 'tencent.mps',
  provider: 'tencent',
  title: 'Tencent Cloud MPS usage (DescribeUsageData)',
  // The SDKs' default; the intl site also documents mps.intl.tencentcloudapi.com (set it as the endpoint).
  defaultEndpoint: 'https://mps.tencentcloudapi.com',
  limits: { maxSpanMs: 90 * DAY_MS, minSpanMs: DAY_MS, lookbackMs: 365 * DAY_MS, defaultQps: 100 },
  // The only grid: hours never align, days and months only in zones whose midnights are UTC+08:00 midnights.
  nativeBuckets: { kind: 'grid', grids: [UTC8_DAY_GRID] },
  // Today's UTC+08:00 day is still filling; no data delay is documented (docs/providers/tencent-mps.md#limits). Daily
  // pay-as-you-go usage is settled the next day, so a day is final a day and a half after it ends (noon UTC+08:00 of
  // the day after).
  settleDelayMs: 36 * 3_600_000,
  metrics: MPS_METRIC_MAPPINGS,
  extraMetrics: MPS_EXTRA_METRICS,
  dimensions: ['service', 'task', 'region', 'spec'],
  dimensionValues: { service: 'mps', spec: 'Specification string', task: 'TaskType' },
  filterDimensions: ['region', 'task', 'spec', 'service'],
  settingsSchema,

  // A source configured with some task types never asks about the others: their metrics are not zeros it reported.
  // A task filter is sent as given (see variants), so it decides the types asked.
  metricsFor (settings: MpsSettings, filters: PushdownQuery['filters']): string[] {
    return metricsOfTaskTypes(unique(filters.task ?? settings.taskTypes))
  },

  variants (query: PushdownQuery, settings: MpsSettings): Array<CallVariant<MpsCallParameters>> {
    const types = unique(query.filters.task ?? settings.taskTypes)
    const breakdown: MpsBreakdown = query.groupBy.includes('spec') || query.filters.spec !== undefined ? 'specification' : 'summary'
    const regions = unique(query.filters.region ?? settings.regions)
    if (query.groupBy.includes('region') || query.filters.region !== undefined) {
      return regions.map(region => ({ parameters: { types, regions: [region], breakdown }, dimensions: { region } }))
    }
    const only = regions.length === 1 ? regions[0] : undefined
    return [{ parameters: { types, regions, breakdown }, dimensions: only === undefined ? {} : { region: only } }]
  },

  async fetch (call, context) {
    const grid: NativeGrid = call.grid ?? UTC8_DAY_GRID
    const { window } = call
    if (!isOnGrid(window.from, grid) || !isOnGrid(window.to, grid) || window.to <= window.from) {
      throw new RangeError(`window [${window.from}, ${window.to}) is not whole ${grid.label}s`)
    }
    const { types, regions, breakdown } = call.variant.parameters
    const answer = await callTencentApi({
      action: MPS_ACTION,
      version: MPS_VERSION,
      service: context.source.settings.service,
      payload: {
        StartTime: formatUtcPlus8(window.from),
        // The day containing EndTime is included, so the window's last day is named by its start.
        EndTime: formatUtcPlus8(window.to - DAY_MS),
        Types: types,
        ProcessRegions: regions
      }
    }, context)
    const provider = { api: MPS_ACTION, requestId: answer.requestId }
    const data = parseAnswer(mpsUsageResponseSchema, answer.response, provider).Data ?? []
    const records = convertAnswer(provider, () => convertMpsUsage(data, { window, grid, breakdown, dimensions: call.variant.dimensions, taskTypes: types }))
    return { records, requestId: answer.requestId }
  }
}

function unique (values: readonly string[]): string[] {
  return [...new Set(values)]
}
