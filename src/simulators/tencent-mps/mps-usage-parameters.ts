// Provider facts: docs/providers/tencent-mps.md#simulator
/**
 * Validates DescribeUsageData parameters as the docs state them (docs/providers/tencent-mps.md#request-parameters),
 * choosing the strictest reasonable reading where they are silent, so a client that works here does not lean on a
 * leniency:
 * - StartTime and EndTime are required ISO 8601 date-times with an offset ('Z' or ±HH:MM), whole seconds.
 * - EndTime ≥ StartTime; EndTime − StartTime ≤ 90 days; StartTime not older than 365 days: else InvalidParameterValue.
 * - Types and ProcessRegions default, when absent or empty, to [Transcode] and [ap-guangzhou] — the documented trap.
 *   An unknown value is InvalidParameterValue. Any other parameter is UnknownParameter, as API 3.0 answers.
 */
import { MPS_DAY_MS, MPS_SIMULATED_REGIONS, MPS_SIMULATED_TASK_TYPES } from './mps-usage-data.js'
import type { TencentError } from '../tencent/tencent-errors.js'

export interface MpsUsageQuery {
  startTime: number
  endTime: number
  types: string[]
  regions: string[]
}

const MAX_SPAN_MS = 90 * MPS_DAY_MS
const LOOKBACK_MS = 365 * MPS_DAY_MS
const KNOWN_PARAMETERS = new Set(['StartTime', 'EndTime', 'Types', 'ProcessRegions'])

export function parseMpsUsageParameters (payload: Record<string, unknown>, now: number): MpsUsageQuery | TencentError {
  const unknown = Object.keys(payload).find(name => !KNOWN_PARAMETERS.has(name))
  if (unknown !== undefined) return { code: 'UnknownParameter', message: `The parameter \`${unknown}\` is not recognized.` }

  const startTime = readTime(payload, 'StartTime')
  if (typeof startTime !== 'number') return startTime
  const endTime = readTime(payload, 'EndTime')
  if (typeof endTime !== 'number') return endTime
  if (endTime < startTime) return invalidValue('EndTime must be greater than or equal to StartTime.')
  if (endTime - startTime > MAX_SPAN_MS) return invalidValue('The query time span should not exceed 90 days.')
  if (startTime < now - LOOKBACK_MS) return invalidValue('Only MPS statistical data from the last 365 days can be queried.')

  const types = readList(payload, 'Types', MPS_SIMULATED_TASK_TYPES, 'Transcode')
  if (!Array.isArray(types)) return types
  const regions = readList(payload, 'ProcessRegions', MPS_SIMULATED_REGIONS, 'ap-guangzhou')
  if (!Array.isArray(regions)) return regions
  return { startTime, endTime, types, regions }
}

function readTime (payload: Record<string, unknown>, name: string): number | TencentError {
  const value = payload[name]
  if (value === undefined || value === null) return { code: 'MissingParameter', message: `The request is missing a required parameter \`${name}\`.` }
  if (typeof value !== 'string') return { code: 'InvalidParameter', message: `The parameter \`${name}\` must be a string.` }
  const instant = parseIsoDateTimeWithOffset(value)
  return instant ?? invalidValue(`${name} \`${value.slice(0, 40)}\` is not an ISO 8601 date-time with an offset.`)
}

function readList (payload: Record<string, unknown>, name: string, allowed: readonly string[], fallback: string): string[] | TencentError {
  const value = payload[name]
  if (value === undefined || value === null) return [fallback]
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    return { code: 'InvalidParameter', message: `The parameter \`${name}\` must be an array of strings.` }
  }
  if (value.length === 0) return [fallback]
  const wrong = value.find(item => !allowed.includes(item))
  if (wrong !== undefined) return invalidValue(`${name} value \`${wrong.slice(0, 40)}\` is not supported.`)
  return [...new Set(value)]
}

function invalidValue (message: string): TencentError {
  return { code: 'InvalidParameterValue', message }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|([+-])(\d{2}):(\d{2}))$/

/** Independent of the client's parser on purpose: a shared bug would hide on both sides. */
function parseIsoDateTimeWithOffset (text: string): number | null {
  const match = DATE_TIME.exec(text)
  if (match === null) return null
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const wall = Date.UTC(year, month - 1, day, hour, minute, second)
  const date = new Date(wall)
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null
  const sign = match[7]
  if (sign === undefined) return wall
  const offsetMinutes = Number(match[8]) * 60 + Number(match[9])
  if (Number(match[9]) > 59 || offsetMinutes > 18 * 60) return null
  return sign === '+' ? wall - offsetMinutes * 60_000 : wall + offsetMinutes * 60_000
}
