// Provider facts: docs/providers/aliyun-live-producer.md#simulator
/**
 * Validates DescribeLiveProducerUsageData parameters as strictly as the docs allow
 * (docs/providers/aliyun-live-producer.md#simulator). Where the docs are silent, the strictest reasonable reading is
 * chosen and named below, so that a client which works against the simulator does not depend on a leniency the real
 * API may not have.
 */
import type { LiveProducerType } from './live-producer-data.js'
import { parseUtcSeconds } from '../aliyun/utc-seconds.js'

export type LiveProducerSplit = 'domain' | 'region' | 'instance' | 'type'

export interface LiveProducerQuery {
  startTime: number
  endTime: number
  intervalMs: number
  splitBy: LiveProducerSplit[]
  regions: string[] | null
  domains: string[] | null
  instances: string[] | null
  types: LiveProducerType[] | null
  app: string | null
}

export interface LiveProducerParameterError { status: 400, code: string, message: string }

const DAY_MS = 86_400_000
const MAX_SPAN_MS = 31 * DAY_MS
const LOOKBACK_MS = 90 * DAY_MS
const SPLITS: readonly LiveProducerSplit[] = ['domain', 'region', 'instance', 'type']
const TYPES: readonly LiveProducerType[] = ['slidelive', 'universal']

export function parseLiveProducerParameters (parameters: Record<string, string>, now: number): LiveProducerQuery | LiveProducerParameterError {
  // The doc marks both times optional without saying what an absent one means; they are required here, and an
  // absent one is reported like a malformed one.
  const startTime = parseUtcSeconds(parameters.StartTime)
  if (startTime === null) return invalid('InvalidStartTime.Malformed', 'Specified StartTime is malformed.')
  const endTime = parseUtcSeconds(parameters.EndTime)
  if (endTime === null) return invalid('InvalidEndTime.Malformed', 'Specified EndTime is malformed.')
  // The message's typo ("math") is the provider's own.
  if (endTime <= startTime) return invalid('InvalidEndTime.Mismatch', 'Specified end time does not math the specified start time.')
  if (endTime - startTime > MAX_SPAN_MS) return invalid('InvalidTimeSpan', 'The time span exceeds the limit.')
  if (startTime < now - LOOKBACK_MS) return invalid('InvalidTime.ValueNotSupported', 'Specified Time is malformed.')

  // The default Interval is unconfirmed; 3600 is the documented minimum granularity and the doc's example value.
  const interval = parameters.Interval === undefined || parameters.Interval === '' ? '3600' : parameters.Interval
  if (interval !== '3600' && interval !== '86400') return invalid('InvalidParameter.Interval', 'Specified parameter Interval is not valid.')

  const splitBy = commaList(parameters.SplitBy) ?? []
  if (!splitBy.every((value): value is LiveProducerSplit => (SPLITS as readonly string[]).includes(value))) {
    return invalid('InvalidParameter.SplitBy', 'Specified parameter SplitBy is not valid.')
  }
  const types = commaList(parameters.Type)
  if (types !== null && !types.every((value): value is LiveProducerType => (TYPES as readonly string[]).includes(value))) {
    return invalid('InvalidParameter.Type', 'Specified parameter Type is not valid.')
  }

  return {
    startTime,
    endTime,
    intervalMs: Number(interval) * 1000,
    splitBy: [...new Set(splitBy)],
    regions: commaList(parameters.Region),
    domains: commaList(parameters.DomainName),
    instances: commaList(parameters.Instance),
    types,
    app: parameters.app === undefined || parameters.app === '' ? null : parameters.app
  }
}

/** null when absent or empty (no filter); otherwise the trimmed values, an empty item being invalid for enums. */
function commaList (value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === '') return null
  return value.split(',').map(item => item.trim())
}

function invalid (code: string, message: string): LiveProducerParameterError {
  return { status: 400, code, message }
}
