// Provider facts: docs/providers/aliyun-ims.md
/**
 * Source kind `aliyun.ims`: Intelligent Media Services usage (ICE DescribeMeterImsSummary). The API has no time
 * buckets, only one total for any [StartTs, EndTs) in whole seconds, so the planner asks once per requested bucket
 * and every zone and granularity aligns.
 *
 * Choices where the docs are silent or unconfirmed (docs/providers/aliyun-ims.md#unconfirmed):
 * - `Region` is not sent: the docs say it has no effect and all regions' usage is returned. The settings are
 *   therefore empty; records carry no region, and a region filter leaves this source out with a warning.
 * - Durations are assumed to be minutes (sibling meter APIs document minutes) and become seconds × 60; the catalog
 *   says so in each mapping's `conversion`.
 * - QPS is not documented: 10 by default, overridable per source.
 * - No data delay is documented; the error table's Meter.ReadyTsError says the backend tracks a data-ready mark.
 *   Buckets stay provisional for 24 hours, long enough for a daily settlement, so a cached number is not called
 *   final while it may still grow.
 * - A bucket longer than the 31-day limit (a 31-day month with a DST fall-back hour) is split into calls by the
 *   planner; each answer is the total of its own half-open range, so the merger's sum is exact.
 */
import { z } from 'zod'
import { UsageError } from '../../errors.js'
import type { TimeRange } from '../../time/index.js'
import type { CallVariant, FetchContext, PushdownQuery, SourceAdapter } from '../../usage/source-adapter.js'
import { callAliyunRpc } from '../aliyun/aliyun-rpc-call.js'
import { convertAnswer, parseAnswer } from '../utils/provider-answer.js'
import { convertImsSummary } from './convert-ims-summary.js'
import { ICE_VERSION, IMS_ACTION, IMS_FIELDS, imsSummaryResponseSchema, type ImsField } from './ims-api.js'

const SECOND_MS = 1000
const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
export const IMS_MAX_SPAN_MS = 31 * DAY_MS
/** StartTs and EndTs are 10-digit unix seconds. */
const SMALLEST_TEN_DIGIT_MS = 1_000_000_000 * SECOND_MS
const LARGEST_TEN_DIGIT_MS = 9_999_999_999 * SECOND_MS

const settingsSchema = z.object({}).strict()

export type ImsSettings = z.infer<typeof settingsSchema>

const DURATION_CONVERSION = 'minutes × 60 (unit assumed: not documented for this API)'

const IMS_COVERAGE = 'One Data object holding every field answers each call. An absent or null field, or a second object, ' +
  'refuses the answer (UPSTREAM_MALFORMED); an empty Data (nothing used in the range) reads 0 for every field. All regions are counted.'

function fieldsOf (metric: string): ImsField[] {
  return (Object.keys(IMS_FIELDS) as ImsField[]).filter(field => IMS_FIELDS[field].metric === metric)
}

export const imsAdapter: SourceAdapter<ImsSettings> = {
  specificationVersion: 'v1',
  kind: 'aliyun.ims',
  provider: 'aliyun',
  title: 'Alibaba Intelligent Media Services usage summary (DescribeMeterImsSummary)',
  defaultEndpoint: 'https://ice.cn-shanghai.aliyuncs.com',
  limits: { maxSpanMs: IMS_MAX_SPAN_MS, minSpanMs: SECOND_MS, lookbackMs: 90 * DAY_MS, defaultQps: 10 },
  nativeBuckets: { kind: 'any', description: 'any range (one total per call)' },
  settleDelayMs: DAY_MS,
  metrics: [
    { metric: 'transcode.duration', providerFields: fieldsOf('transcode.duration'), dimensions: ['service', 'mode'], conversion: DURATION_CONVERSION, coverage: IMS_COVERAGE },
    { metric: 'enhance.duration', providerFields: fieldsOf('enhance.duration'), dimensions: ['service', 'mode'], conversion: DURATION_CONVERSION, coverage: IMS_COVERAGE },
    { metric: 'editing.duration', providerFields: fieldsOf('editing.duration'), dimensions: ['service', 'mode'], conversion: DURATION_CONVERSION, coverage: IMS_COVERAGE },
    { metric: 'ai.duration', providerFields: fieldsOf('ai.duration'), dimensions: ['service', 'mode'], conversion: DURATION_CONVERSION, coverage: IMS_COVERAGE },
    { metric: 'recording.duration', providerFields: fieldsOf('recording.duration'), dimensions: ['service', 'mode'], conversion: DURATION_CONVERSION, coverage: IMS_COVERAGE },
    { metric: 'snapshot.count', providerFields: fieldsOf('snapshot.count'), dimensions: ['service', 'mode'], conversion: 'count as reported (no conversion)', coverage: IMS_COVERAGE }
  ],
  dimensions: ['service', 'mode'],
  dimensionValues: { service: 'ims' },
  // Every record carries both, so the core's post-filter is exact; nothing can be pushed down.
  filterDimensions: ['service', 'mode'],
  settingsSchema,

  variants (_query: PushdownQuery, _settings: ImsSettings): CallVariant[] {
    return [{ parameters: {}, dimensions: {} }]
  },

  async fetch (call, context) {
    assertAskable(call.window)
    const answer = await callSummary(call.window, call.variant.parameters, context)
    const provider = { api: IMS_ACTION, requestId: answer.requestId }
    const data = parseAnswer(imsSummaryResponseSchema, answer.body, provider).Data
    return { records: convertAnswer(provider, () => convertImsSummary(data, call.window, call.variant.dimensions)), requestId: answer.requestId }
  }
}

async function callSummary (window: TimeRange, parameters: Readonly<Record<string, string>>, context: FetchContext<unknown>) {
  return await callAliyunRpc({
    action: IMS_ACTION,
    version: ICE_VERSION,
    parameters: {
      ...parameters,
      StartTs: String(window.from / SECOND_MS),
      EndTs: String(window.to / SECOND_MS)
    }
  }, context)
}

/** The planner only makes whole-second windows inside the lookback; anything else is a bug here, not a provider error. */
function assertAskable (window: TimeRange): void {
  const { from, to } = window
  if (from % SECOND_MS !== 0 || to % SECOND_MS !== 0 || to <= from || to - from > IMS_MAX_SPAN_MS ||
      from < SMALLEST_TEN_DIGIT_MS || to > LARGEST_TEN_DIGIT_MS) {
    throw new UsageError('INTERNAL', `window [${from}, ${to}) cannot be asked of ${IMS_ACTION}: StartTs and EndTs are 10-digit whole seconds at most 31 days apart`)
  }
}
