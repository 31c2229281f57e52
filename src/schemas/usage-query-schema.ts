/**
 * GET /usage query string: the one schema that validates requests, types the handler and documents
 * the parameter in OpenAPI. Every problem is reported with the parameter it belongs to.
 */
import { z } from 'zod'
import type { Clock } from '../clock.js'
import { ANSWER_FORMATS, type AnswerFormat } from '../usage/answer-formats.js'
import type { Catalog } from '../usage/catalog.js'
import { DIMENSIONS, isDimension, type Dimension } from '../usage/source-adapter.js'
import type { Filters, UsageQuery } from '../usage/usage-query.js'
import { GRANULARITIES, formatInstant, isValidZone, parseBoundary, widenRange, type BoundaryForm, type Granularity } from '../time/index.js'

const MAX_LIST_ITEMS = 100
const MAX_ITEM_LENGTH = 200
export const MAX_TIMEOUT_SECONDS = 120

/**
 * from and to, and the range widened to whole buckets in tz, must lie within [1973-01-01T00:00:00Z,
 * 9999-01-01T00:00:00Z], so that every instant an answer echoes is RFC 3339 that this service accepts back:
 * in any zone that is a local year from 1972 (after the last zone whose offset had seconds, Africa/Monrovia's
 * -00:44:30, which RFC 3339 cannot write) to 9999 (a later year prints as +010000-…). Checking the widened
 * range, not only the input, is what lets an echoed from/to be sent back as they are.
 */
export const EARLIEST_QUERY_INSTANT = Date.UTC(1973, 0, 1)
export const LATEST_QUERY_INSTANT = Date.UTC(9999, 0, 1)
const ACCEPTED_INSTANTS = 'from 1973-01-01T00:00:00Z to 9999-01-01T00:00:00Z'

/** What a query that omits tz or granularity gets: UTC and day unless the deployment sets its own. */
export interface QueryDefaults {
  zone: string
  granularity: Granularity
}

export const BUILT_IN_QUERY_DEFAULTS: QueryDefaults = { zone: 'UTC', granularity: 'day' }

export interface UsageQueryContext {
  /** The deployment's metrics: names outside it are refused. */
  catalog: Pick<Catalog, 'metrics' | 'findMetric'>
  /** The service clock: relative times are resolved against one reading of it per request. */
  clock: Clock
  defaults: QueryDefaults
}

// Grafana's ${__from} is quoted literally: it is the text a dashboard author types, not a template of ours.
/* eslint-disable no-template-curly-in-string */
const BOUNDARY_FORMS = 'RFC 3339 with offset (2026-11-01T00:00:00+08:00), a date (2026-11-01 = local midnight in tz), ' +
  'epoch milliseconds (all digits, e.g. 1793491200000, as Grafana\'s ${__from} sends them; epoch seconds are refused) or a relative time ' +
  'now[±N unit][/unit] (now, now-7d, now-1M/M, now/d; units s m h d w M y; s m h are elapsed time, d w M y move the calendar of tz, ' +
  '/unit goes back to the start of that unit in tz, /w to Monday; + is %2B in a URL, a raw + arrives as a space and is read as +), ' +
  'resolved once per request against the service clock'
/* eslint-enable no-template-curly-in-string */

/** One value per parameter: a repeated parameter is refused rather than silently picking one. */
function text (parameter: string, description: string) {
  return z.string({
    error: issue => issue.input === undefined
      ? `${parameter} is required`
      : `${parameter} must be given once; separate several values with commas`
  }).describe(description)
}

function list (parameter: string, description: string) {
  return text(parameter, `${description} Comma-separated.`).optional()
}

const filterShape = Object.fromEntries(
  DIMENSIONS.map(name => [name, list(name, `Only usage whose ${name} is one of these values.`)])
) as Record<Dimension, ReturnType<typeof list>>

/**
 * Answer formats. The parameters below are strings checked in parseUsageQuery (so each problem is reported in
 * this service's words); `.meta` gives the document the type a client should send: an enum, a boolean, a number.
 */

const rawUsageQuerySchema = z.object({
  from: text('from', `Start, inclusive: ${BOUNDARY_FORMS}; ${ACCEPTED_INSTANTS}. Widened to a bucket start.`),
  to: text('to', `End, exclusive: same forms as from; ${ACCEPTED_INSTANTS}. Widened to a bucket end.`),
  granularity: text('granularity', 'hour, day or month. Default day, unless the deployment sets another (USAGE_DEFAULT_GRANULARITY).')
    .meta({ enum: [...GRANULARITIES] }).optional(),
  tz: text('tz', 'IANA time zone of the buckets, e.g. Asia/Shanghai. Default UTC, unless the deployment sets another (USAGE_DEFAULT_TZ).').optional(),
  metrics: list('metrics', 'Canonical metric names (see /usage/catalog). Default all.'),
  groupBy: list('groupBy', `Dimensions to split series by: ${DIMENSIONS.join(', ')}.`),
  format: text('format', 'json (default); csv (one row per point); rows (flat JSON, one object per point); focus (CSV with FinOps FOCUS column names). Accept: text/csv also selects csv. csv, rows and focus carry X-Usage-Complete and X-Usage-Warnings headers.').meta({ enum: [...ANSWER_FORMATS] }).optional(),
  strict: text('strict', 'true: any source that cannot deliver fails the request with 502, and the deadline passing with 504. Default false.').meta({ type: 'boolean' }).optional(),
  asOf: text('asOf', 'RFC 3339 date-time with an offset (2026-12-01T00:00:00Z), not in the future: answer from the usage ledger only, as it was at that instant ' +
    '(a billing rerun gets the same numbers again; no provider is called). Buckets the ledger did not hold then are null, with a not_in_ledger warning. ' +
    'Refused when the deployment keeps no ledger.').optional(),
  timeout: text('timeout', `Deadline of this request in seconds, 1 to ${MAX_TIMEOUT_SECONDS}. Default set by the service (30). Past it: what was obtained, complete=false, its points incomplete and a deadline_exceeded warning (with strict=true: 504).`)
    .meta({ type: 'number', minimum: 1, maximum: MAX_TIMEOUT_SECONDS }).optional(),
  ...filterShape
}).strict()

export type RawUsageQuery = z.infer<typeof rawUsageQuerySchema>

export interface ParsedUsageQuery extends UsageQuery {
  format: AnswerFormat | null
  /** Requested deadline, or null for the service default. */
  timeoutMs: number | null
}

type IssueSink = (parameter: string, message: string) => void

/**
 * The documented schema with every semantic check, for one deployment's catalog, clock and defaults; its output is
 * the core's UsageQuery.
 */
export function usageQuerySchemaFor ({ catalog, clock, defaults }: UsageQueryContext) {
  const known = catalog.metrics.map(metric => metric.name).join(', ')
  return rawUsageQuerySchema.transform((raw, context): ParsedUsageQuery => parseUsageQuery(raw, clock.now(), defaults, catalog.findMetric, known,
    (parameter, message) => context.addIssue({ code: 'custom', path: [parameter], message })))
}

export type UsageQuerySchema = ReturnType<typeof usageQuerySchemaFor>

function parseUsageQuery (
  raw: RawUsageQuery, now: number, defaults: QueryDefaults, findMetric: Catalog['findMetric'], known: string, problem: IssueSink
): ParsedUsageQuery {
  const granularity = parseEnum(raw.granularity, 'granularity', GRANULARITIES, defaults.granularity, problem)
  const zone = raw.tz ?? defaults.zone
  if (!isValidZone(zone)) problem('tz', `unknown time zone '${clip(zone)}'; use an IANA name such as UTC, Asia/Shanghai or America/New_York`)
  const zoneForDates = isValidZone(zone) ? zone : 'UTC'
  const from = parseInstant(raw.from, 'from', zoneForDates, now, problem)
  const to = parseInstant(raw.to, 'to', zoneForDates, now, problem)
  if (from !== null && to !== null && from >= to) problem('to', 'to must be after from ([from, to) is half-open)')
  if (from !== null && to !== null && from < to && isValidZone(zone)) checkWidenedRange(from, to, granularity, zone, problem)
  const metrics = parseList(raw.metrics, 'metrics', problem)
  for (const metric of metrics ?? []) {
    if (!findMetric(metric)) problem('metrics', `unknown metric '${clip(metric)}'; known: ${known}`)
  }
  const groupBy = parseList(raw.groupBy, 'groupBy', problem) ?? []
  for (const name of groupBy) {
    if (!isDimension(name)) problem('groupBy', `unknown dimension '${clip(name)}'; known: ${DIMENSIONS.join(', ')}`)
  }
  const filters: Filters = {}
  for (const name of DIMENSIONS) {
    const values = parseList(raw[name], name, problem)
    if (values) filters[name] = values
  }
  const format = raw.format === undefined ? null : parseEnum(raw.format, 'format', ANSWER_FORMATS, 'json', problem)
  const strict = parseEnum(raw.strict, 'strict', ['true', 'false'] as const, 'false', problem) === 'true'
  const timeoutMs = parseTimeout(raw.timeout, problem)
  const asOf = parseAsOf(raw.asOf, now, problem)
  return {
    from: from ?? 0,
    to: to ?? 0,
    granularity,
    zone,
    metrics: metrics ?? null,
    groupBy: groupBy.filter(isDimension),
    filters,
    strict,
    format,
    timeoutMs,
    asOf
  }
}

/**
 * Only an absolute RFC 3339 date-time: an answer as of an instant is for reproducing it later, and a relative
 * time or a date in some zone would name another instant tomorrow or elsewhere. A future instant is refused,
 * not clamped: the ledger cannot know it yet, and a clamped answer would change until then.
 */
function parseAsOf (value: string | undefined, now: number, problem: IssueSink): number | null {
  if (value === undefined) return null
  const parsed = parseBoundary(value, 'UTC', now)
  if (!parsed.ok || parsed.form !== 'date-time') {
    problem('asOf', `'${clip(value)}' is not accepted; give an RFC 3339 date-time with an offset, e.g. 2026-12-01T00:00:00Z`)
    return null
  }
  if (parsed.instant < EARLIEST_QUERY_INSTANT) {
    problem('asOf', `'${clip(value)}' is out of range: asOf must be an instant ${ACCEPTED_INSTANTS}`)
    return null
  }
  if (parsed.instant > now) {
    problem('asOf', `'${clip(value)}' is in the future (the service clock reads ${new Date(now).toISOString()}); the ledger can only answer as of an instant that has passed`)
    return null
  }
  return parsed.instant
}

function parseInstant (text: string, parameter: string, zone: string, now: number, problem: IssueSink): number | null {
  const parsed = parseBoundary(text, zone, now)
  if (!parsed.ok) {
    problem(parameter, `'${clip(text)}' is not a date or time: ${parsed.reason}`)
    return null
  }
  if (parsed.instant < EARLIEST_QUERY_INSTANT || parsed.instant > LATEST_QUERY_INSTANT) {
    problem(parameter, `'${clip(text)}' is out of range: ${parameter} must be an instant ${ACCEPTED_INSTANTS}${rangeHint(parsed.instant, parsed.form)}`)
    return null
  }
  return parsed.instant
}

/** Epoch seconds (10 digits until 2286) read as milliseconds land in 1970: say so rather than only "out of range". */
function rangeHint (instant: number, form: BoundaryForm): string {
  if (form === 'epoch-milliseconds' && instant < EARLIEST_QUERY_INSTANT) {
    return `; a number is read as epoch milliseconds (this one is ${formatInstant(instant, 'UTC')}): for epoch seconds, multiply by 1000`
  }
  if (form === 'relative') return ` (this one resolves to ${new Date(instant).toISOString()})`
  return ''
}

function checkWidenedRange (from: number, to: number, granularity: Granularity, zone: string, problem: IssueSink): void {
  const widened = widenRange({ from, to }, granularity, zone)
  const why = (parameter: string) => `${parameter}, widened to a whole ${granularity} in ${zone}, falls outside the accepted range: ` +
    `the widened range must lie ${ACCEPTED_INSTANTS}`
  if (widened.from < EARLIEST_QUERY_INSTANT) problem('from', why('from'))
  if (widened.to > LATEST_QUERY_INSTANT) problem('to', why('to'))
}

function parseTimeout (value: string | undefined, problem: IssueSink): number | null {
  if (value === undefined) return null
  const seconds = /^\d{1,4}(\.\d{1,3})?$/.test(value) ? Number(value) : Number.NaN
  if (seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) return Math.round(seconds * 1000)
  problem('timeout', `'${clip(value)}' is not accepted; give seconds from 1 to ${MAX_TIMEOUT_SECONDS}`)
  return null
}

function parseEnum<T extends string> (value: string | undefined, parameter: string, allowed: readonly T[], fallback: T, problem: IssueSink): T {
  if (value === undefined) return fallback
  if ((allowed as readonly string[]).includes(value)) return value as T
  problem(parameter, `'${clip(value)}' is not accepted; use one of ${allowed.join(', ')}`)
  return fallback
}

function parseList (value: string | undefined, parameter: string, problem: IssueSink): string[] | null {
  if (value === undefined) return null
  const items = [...new Set(value.split(',').map(item => item.trim()))]
  if (items.some(item => item === '')) {
    problem(parameter, `${parameter} has an empty value; give comma-separated values without blanks`)
    return null
  }
  if (items.length > MAX_LIST_ITEMS) {
    problem(parameter, `${parameter} lists ${items.length} values; at most ${MAX_LIST_ITEMS} are accepted`)
    return null
  }
  if (items.some(item => item.length > MAX_ITEM_LENGTH)) {
    problem(parameter, `a value of ${parameter} is longer than ${MAX_ITEM_LENGTH} characters`)
    return null
  }
  return items
}

/** Echoed input is clipped: an error message must not become a megabyte of the caller's own text. */
function clip (value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value
}
