// Provider facts: docs/providers/aliyun-ims.md#simulator
/**
 * Alibaba ICE DescribeMeterImsSummary (ice 2020-11-09) behind a simulated POP gateway.
 * Choices where the docs are unconfirmed (docs/providers/aliyun-ims.md#unconfirmed), each named:
 * - QPS is not documented: 10 per key, overridable.
 * - The four fields the docs type as string (EditingDuration, LiveRecordDuration, LiveEditDuration,
 *   LiveSnapshotCount) are sent as JSON strings for some ranges and as numbers for others, per field, decided by a
 *   hash of the range: the documented quirk (string-typed fields printed as numbers in the docs' example).
 * - A range that has not begun by the gateway clock answers an empty Data array; any other range answers one object.
 * - Meter.ReadyTsError (502), Meter.ServerInternalError, Meter.DataSourceQueryError and Meter.AuthError occur only
 *   when injected through `meterFaults`: when the real backend raises them is not documented.
 */
import { deterministicInteger } from '../shared/deterministic-usage.js'
import { hostileFirstRecord } from '../shared/corrupted-bodies.js'
import { startAliyunGateway, type AliyunActionContext, type AliyunActionResult } from '../aliyun/aliyun-gateway.js'
import { IMS_STRING_TYPED_FIELDS, IMS_SUMMARY_FIELDS, imsRangeTotals } from './ims-data.js'
import { ImsMeterFaults, imsMeterError } from './ims-meter-errors.js'
import { parseImsParameters } from './ims-parameters.js'
import { gatewayOptionsOf, type RunningSimulator, type SimulatorStartOptions } from '../shared/simulator-server.js'

export { IMS_STRING_TYPED_FIELDS, IMS_SUMMARY_FIELDS, imsHourAmount, imsRangeTotals, imsTruth, type ImsSummaryField } from './ims-data.js'
export { IMS_METER_ERRORS, ImsMeterFaults, type ImsMeterErrorCode } from './ims-meter-errors.js'

export const ICE_PRODUCT = 'ice'
export const ICE_API_VERSION = '2020-11-09'
export const IMS_SUMMARY_ACTION_NAME = 'DescribeMeterImsSummary'
/** Not documented; the service's default for this kind too. */
export const IMS_SUMMARY_QPS = 10

export interface ImsSimulator extends RunningSimulator {
  /** Backend errors for the next admitted calls, on top of the gateway's generic `faults`. */
  meterFaults: ImsMeterFaults
}

/** Whether a string-typed field is sent as a JSON string for this range (otherwise as a number). */
export function imsSendsAsString (field: string, startTs: string, endTs: string): boolean {
  return IMS_STRING_TYPED_FIELDS.includes(field as never) && deterministicInteger(1, 'ims-string', field, startTs, endTs) === 1
}

export function createImsSummaryHandler (meterFaults: ImsMeterFaults): (context: AliyunActionContext) => AliyunActionResult {
  return context => {
    const injected = meterFaults.next()
    if (injected !== undefined) return imsMeterError(injected, 'simulated failure')
    const query = parseImsParameters(context.parameters, context.now)
    if ('code' in query) return query

    const { StartTs: startTs = '', EndTs: endTs = '' } = context.parameters
    const data: Array<Record<string, string | number>> = []
    if (query.from < context.now) {
      const totals = imsRangeTotals(query.from, query.to, context.now)
      data.push(Object.fromEntries(IMS_SUMMARY_FIELDS.map(field => {
        const value = totals[field]
        return [field, imsSendsAsString(field, startTs, endTs) ? String(value) : value]
      })))
    }
    return { status: 200, body: { RequestId: context.requestId, Data: data } }
  }
}

/**
 * Shape faults on the Data object: a second copy, MpsTranscodeDuration left out, or made too large. Its fields are
 * fixed usage fields: nothing in it becomes a free-text dimension.
 */
export const hostileImsBody = hostileFirstRecord(body => body.Data as Array<Record<string, unknown>> | undefined, 'MpsTranscodeDuration', null)

export async function startImsSimulator (options: SimulatorStartOptions): Promise<ImsSimulator> {
  const meterFaults = new ImsMeterFaults()
  const gateway = await startAliyunGateway({
    product: ICE_PRODUCT,
    version: ICE_API_VERSION,
    ...gatewayOptionsOf(options),
    actions: { [IMS_SUMMARY_ACTION_NAME]: { handler: createImsSummaryHandler(meterFaults), qps: options.qps ?? IMS_SUMMARY_QPS, hostile: hostileImsBody } }
  })
  return { ...gateway, meterFaults }
}
