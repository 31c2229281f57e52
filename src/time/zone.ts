import { MINUTE_MS } from './durations.js'
import { offsetMsAt } from './offset-timeline.js'
import { assertInstant } from './time-guards.js'

// IANA names are letters, digits and _ + - in slash-separated parts ('Etc/GMT+8', 'America/Port-au-Prince').
// Checking the shape first keeps out offsets like '+08:00' that newer Intl versions accept as zones.
const ZONE_NAME_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/
const LONGEST_ZONE_NAME = 64

// Keyed by lower case because Intl matches zone names case-insensitively: the key space stays the finite
// set of real zones whatever callers send. The value is Intl's canonical name.
const canonicalByLowerCaseName = new Map<string, string>()

/** IANA zone names (matched case-insensitively, as Intl does), including 'UTC' and its aliases. */
export function isValidZone (zone: string): boolean {
  return canonicalZoneName(zone) !== undefined
}

/** The zone's canonical name, or a RangeError for anything isValidZone rejects. */
export function resolveZone (zone: string): string {
  const canonical = canonicalZoneName(zone)
  if (canonical === undefined) throw new RangeError(`not a valid IANA time zone: ${JSON.stringify(zone)}`)
  return canonical
}

/** UTC offset in minutes at that instant (fractional only for pre-standard-time local mean time). */
export function offsetMinutesAt (instant: number, zone: string): number {
  assertInstant(instant)
  return offsetMsAt(resolveZone(zone), instant) / MINUTE_MS
}

function canonicalZoneName (zone: string): string | undefined {
  if (typeof zone !== 'string' || zone.length > LONGEST_ZONE_NAME || !ZONE_NAME_SHAPE.test(zone)) return undefined
  const key = zone.toLowerCase()
  const known = canonicalByLowerCaseName.get(key)
  if (known !== undefined) return known
  let canonical: string
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
  canonicalByLowerCaseName.set(key, canonical)
  return canonical
}
