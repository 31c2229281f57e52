// Provider facts: docs/providers/aliyun-ims.md#simulator
/**
 * The simulated usage behind DescribeMeterImsSummary. The real API answers one total for any range of whole seconds,
 * so the model must be additive at second resolution: however a range is cut (UTC hours, Asia/Kolkata hours starting
 * at :30, days, a clipped last window), the parts add up to the whole exactly.
 *
 * Each field has an integer amount per UTC hour (a pure hash of field and hour), spread evenly through the hour:
 * the usage before instant t of an hour is floor(amount × elapsed / hour). The total of [from, to) is then a
 * difference of one cumulative function, C(to) − C(from), so every split telescopes to the same sum. Nothing is
 * counted after the gateway clock's now.
 */
import { deterministicInteger } from '../shared/deterministic-usage.js'

export const IMS_SUMMARY_FIELDS = [
  'MpsTranscodeDuration', 'MpsTranscodeUHDDuration', 'LiveTranscodeDuration', 'EditingDuration',
  'MpsAiDuration', 'LiveRecordDuration', 'LiveEditDuration', 'LiveSnapshotCount'
] as const

export type ImsSummaryField = typeof IMS_SUMMARY_FIELDS[number]

/** The fields the docs type as string (the others are integers); the simulator sends these either way. */
export const IMS_STRING_TYPED_FIELDS: readonly ImsSummaryField[] = ['EditingDuration', 'LiveRecordDuration', 'LiveEditDuration', 'LiveSnapshotCount']

const HOUR_MS = 3_600_000

/** Most minutes (snapshots for LiveSnapshotCount) per hour; above 60 because work runs in parallel. */
const MAX_PER_HOUR: Record<ImsSummaryField, number> = {
  MpsTranscodeDuration: 900,
  MpsTranscodeUHDDuration: 120,
  LiveTranscodeDuration: 240,
  EditingDuration: 180,
  MpsAiDuration: 90,
  LiveRecordDuration: 300,
  LiveEditDuration: 60,
  LiveSnapshotCount: 720
}

// Some hours nobody uses the service at all, and each field has idle hours of its own: zeros are real and common.
const IDLE_HOUR_PERCENT = 20
const IDLE_FIELD_PERCENT = 30

/** Amount of one field in the UTC hour containing `instant`: minutes, or snapshots for LiveSnapshotCount. */
export function imsHourAmount (field: ImsSummaryField, instant: number): number {
  const hour = Math.floor(instant / HOUR_MS) * HOUR_MS
  if (deterministicInteger(99, 'ims', hour, 'active') < IDLE_HOUR_PERCENT) return 0
  if (deterministicInteger(99, 'ims', field, hour, 'active') < IDLE_FIELD_PERCENT) return 0
  return deterministicInteger(MAX_PER_HOUR[field], 'ims', field, hour)
}

/**
 * Usage of [from, to) up to `now`, per field, in the provider's units (minutes; a count for LiveSnapshotCount).
 * C(to) − C(from) with C computed from the hour holding `from`, so one call costs one hash per hour and field.
 */
export function imsRangeTotals (from: number, to: number, now: number): Record<ImsSummaryField, number> {
  const end = Math.min(to, now)
  const totals = Object.fromEntries(IMS_SUMMARY_FIELDS.map(field => [field, 0])) as Record<ImsSummaryField, number>
  if (end <= from) return totals
  const firstHour = Math.floor(from / HOUR_MS) * HOUR_MS
  const lastHour = Math.floor(end / HOUR_MS) * HOUR_MS
  for (const field of IMS_SUMMARY_FIELDS) {
    let total = -usedWithinHour(field, from)
    for (let hour = firstHour; hour < lastHour; hour += HOUR_MS) total += imsHourAmount(field, hour)
    totals[field] = total + usedWithinHour(field, end)
  }
  return totals
}

/** The part of the hour holding `instant` used before it: floor(amount × elapsed / hour), 0 at the hour's start. */
function usedWithinHour (field: ImsSummaryField, instant: number): number {
  const hour = Math.floor(instant / HOUR_MS) * HOUR_MS
  if (instant === hour) return 0
  return Math.floor(imsHourAmount(field, hour) * (instant - hour) / HOUR_MS)
}

/**
 * The simulator's own total for [from, to) in canonical units, every field added: durations in seconds (minutes × 60),
 * snapshots as a count. Tests compare the service's answers with it.
 */
export function imsTruth (range: { from: number, to: number }, now: number): number {
  const totals = imsRangeTotals(range.from, range.to, now)
  let sum = 0
  for (const field of IMS_SUMMARY_FIELDS) sum += field === 'LiveSnapshotCount' ? totals[field] : totals[field] * 60
  return sum
}
