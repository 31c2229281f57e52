// Provider facts: docs/providers/aliyun-live-grtn.md#simulator
/**
 * Validates DescribeLiveGrtnDuration parameters as the docs describe them
 * (docs/providers/aliyun-live-grtn.md#request-parameters), with the documented codes and messages. Where the docs
 * are silent, the strictest reasonable reading is named below.
 */
import { GRTN_AREAS, type GrtnArea } from './grtn-data.js'
import { parseUtcSeconds } from '../aliyun/utc-seconds.js'

export interface GrtnQuery {
  startTime: number
  endTime: number
  /** The interval actually used: an unsupported or absent Interval silently becomes 3600 (documented quirk). */
  intervalMs: number
  /** null: all apps aggregated (no AppId in the items). */
  apps: string[] | null
  /** null: all areas aggregated. */
  areas: GrtnArea[] | null
}

export interface GrtnParameterError { status: 400, code: string, message: string }

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
const MIN_SPAN_MS = 5 * MINUTE_MS
const MAX_SPAN_MS = 31 * DAY_MS
const LOOKBACK_MS = 90 * DAY_MS
const MAX_APP_IDS = 30
const INTERVALS = new Set(['300', '3600', '86400'])
const DEFAULT_INTERVAL = '3600'

export function parseGrtnParameters (parameters: Record<string, string>, now: number): GrtnQuery | GrtnParameterError {
  // Both times are required; an absent one is reported like a malformed one.
  const startTime = parseUtcSeconds(parameters.StartTime)
  if (startTime === null) return invalid('InvalidStartTime.Malformed', 'Specified StartTime is malformed.')
  const endTime = parseUtcSeconds(parameters.EndTime)
  if (endTime === null) return invalid('InvalidEndTime.Malformed', 'Specified EndTime is malformed.')
  // The message's typo ("math") is the provider's own.
  if (endTime <= startTime) return invalid('InvalidEndTime.Mismatch', 'Specified end time does not math the specified start time.')
  const span = endTime - startTime
  if (span < MIN_SPAN_MS || span > MAX_SPAN_MS) return invalid('InvalidTimeSpan', 'The time span exceeds the limit.')
  // Which code the real API uses past the lookback is not documented; this is the table's remaining time error.
  if (startTime < now - LOOKBACK_MS) return invalid('InvalidTime.ValueNotSupported', 'Specified Time is malformed.')

  const apps = commaList(parameters.AppId)
  if (apps !== null && (apps.length > MAX_APP_IDS || apps.some(app => app === ''))) {
    return invalid('InvalidAppIdParameter', 'The specified AppId parameter is invalid.')
  }
  // The docs' sample sends Area=CN,OverSeas, so a comma list is accepted; every value must be a documented one.
  const areas = commaList(parameters.Area)
  if (areas !== null && !areas.every((area): area is GrtnArea => (GRTN_AREAS as readonly string[]).includes(area))) {
    return invalid('InvalidAreaParameter', 'The specified Area parameter is invalid.')
  }

  // Documented quirk, kept faithfully: any other value (600, 'abc', '') is not an error but an hourly answer.
  // InvalidParameterInterval is in the error table, yet nothing documented triggers it, so it is never sent.
  const interval = parameters.Interval !== undefined && INTERVALS.has(parameters.Interval) ? parameters.Interval : DEFAULT_INTERVAL

  return {
    startTime,
    endTime,
    intervalMs: Number(interval) * 1000,
    apps: apps === null ? null : [...new Set(apps)],
    areas: areas === null ? null : [...new Set(areas)]
  }
}

/** null when absent or empty (no filter); otherwise the trimmed values, an empty item kept so it can be refused. */
function commaList (value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === '') return null
  return value.split(',').map(item => item.trim())
}

function invalid (code: string, message: string): GrtnParameterError {
  return { status: 400, code, message }
}
