// Provider facts: docs/providers/aliyun-ims.md#simulator
/**
 * The "Meter" backend's error codes as DescribeMeterImsSummary documents them (docs/providers/aliyun-ims.md#errors),
 * and a queue a test (or a chaos run) fills to make the next calls fail with one of them after the gateway has
 * admitted them.
 */

export const IMS_METER_ERRORS = {
  'Meter.ParamError': { status: 400, message: 'Param Error:%s,Please Check Again.' },
  'Meter.ServerInternalError': { status: 500, message: 'The Request Processing Has Failed Due To Some Unknown Error.' },
  'Meter.DataSourceQueryError': { status: 500, message: 'Data Source Error:%s,Please Try Again.' },
  'Meter.AuthError': { status: 403, message: 'Authentication Failed,Please Try Again.' },
  'Meter.ReadyTsError': { status: 502, message: 'Get ReadyTs Failed,Please Try Again.' }
} as const satisfies Record<string, { status: number, message: string }>

export type ImsMeterErrorCode = keyof typeof IMS_METER_ERRORS

export interface ImsMeterError { status: number, code: ImsMeterErrorCode, message: string }

/** The documented error with its `%s` filled in, as the provider's messages are templates. */
export function imsMeterError (code: ImsMeterErrorCode, detail = 'unknown'): ImsMeterError {
  const { status, message } = IMS_METER_ERRORS[code]
  return { status, code, message: message.replace('%s', detail) }
}

interface QueuedMeterError { code: ImsMeterErrorCode, remaining: number }

export class ImsMeterFaults {
  private readonly queue: QueuedMeterError[] = []

  /** The next `times` admitted calls (default 1; Infinity = until cleared) fail with `code`, after those queued. */
  inject (code: ImsMeterErrorCode, times = 1): void {
    if (!(times >= 1)) throw new RangeError(`times must be at least 1, got ${times}`)
    this.queue.push({ code, remaining: times })
  }

  clear (): void {
    this.queue.length = 0
  }

  next (): ImsMeterErrorCode | undefined {
    const head = this.queue[0]
    if (head === undefined) return undefined
    head.remaining -= 1
    if (head.remaining <= 0) this.queue.shift()
    return head.code
  }
}
