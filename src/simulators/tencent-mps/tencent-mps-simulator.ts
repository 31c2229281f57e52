// Provider facts: docs/providers/tencent-mps.md#simulator
/**
 * Tencent Cloud MPS DescribeUsageData (mps 2019-06-12) behind a simulated Tencent Cloud API gateway.
 * - Data: one TaskStatData per requested type (in request order), summed over the requested regions; Summary has
 *   one item per UTC+08:00 day from StartTime's day through EndTime's day inclusive (the day containing EndTime is
 *   included: docs/providers/tencent-mps.md#traps), days after the gateway clock left out; Details per Specification
 *   add up to Summary exactly.
 * - Every day in range is listed, zeros included (the real empty shape is unconfirmed:
 *   docs/providers/tencent-mps.md#unconfirmed).
 */
import { MPS_DAY_MS, mpsDayStart, mpsTaskDay, type MpsAmount } from './mps-usage-data.js'
import { parseMpsUsageParameters } from './mps-usage-parameters.js'
import { gatewayOptionsOf, type RunningSimulator, type SimulatorStartOptions } from '../shared/simulator-server.js'
import { hostileFirstRecord } from '../shared/corrupted-bodies.js'
import { startTencentGateway, type TencentActionContext, type TencentActionResult } from '../tencent/tencent-gateway.js'

export { mpsUsageTotal, mpsTaskDay, mpsSpecificationDay, MPS_ACTIVE_REGIONS, MPS_SPECIFICATIONS } from './mps-usage-data.js'

export const MPS_SERVICE_NAME = 'mps'
export const MPS_API_VERSION = '2019-06-12'
export const MPS_USAGE_ACTION = 'DescribeUsageData'
/** Documented: 100 requests per second. */
export const MPS_USAGE_QPS = 100

export function describeUsageData (context: TencentActionContext): TencentActionResult {
  const query = parseMpsUsageParameters(context.payload, context.now)
  if ('code' in query) return query
  const days: number[] = []
  const lastDay = Math.min(mpsDayStart(query.endTime), mpsDayStart(context.now))
  for (let day = mpsDayStart(query.startTime); day <= lastDay; day += MPS_DAY_MS) days.push(day)

  const data = query.types.map(taskType => {
    const perDay = days.map(day => ({ day, ...mpsTaskDay(query.regions, taskType, day, context.now) }))
    const specifications = perDay[0]?.details.map(detail => detail.specification) ?? []
    return {
      TaskType: taskType,
      Summary: perDay.map(({ day, summary }) => item(day, summary)),
      Details: specifications.map((specification, index) => ({
        Specification: specification,
        Data: perDay.map(({ day, details }) => item(day, details[index]!.amount))
      }))
    }
  })
  return { body: { Data: data } }
}

function item (day: number, amount: MpsAmount): { Time: string, Count: number, Usage: number } {
  return { Time: new Date(day + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00', Count: amount.count, Usage: amount.usage }
}

/**
 * Shape faults on the first TaskType's first Summary day: listed twice, Usage left out, or made too large. A Summary
 * day has no free-text field: TaskType is checked against the types asked for, the region is the one asked for.
 */
export const hostileMpsBody = hostileFirstRecord(
  body => (body.Data as Array<{ Summary?: Array<Record<string, unknown>> }> | undefined)?.[0]?.Summary,
  'Usage',
  null
)

export async function startTencentMpsSimulator (options: SimulatorStartOptions): Promise<RunningSimulator> {
  return await startTencentGateway({
    service: MPS_SERVICE_NAME,
    version: MPS_API_VERSION,
    ...gatewayOptionsOf(options),
    actions: { [MPS_USAGE_ACTION]: { handler: describeUsageData, qps: options.qps ?? MPS_USAGE_QPS, hostile: hostileMpsBody } }
  })
}
