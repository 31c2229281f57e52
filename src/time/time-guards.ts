import { DAY_MS } from './durations.js'
import { GRANULARITIES, type Granularity } from './granularity.js'
import type { TimeRange } from './bucket.js'

// Date and Intl stop answering at ±8.64e15 ms; the engine reads zone offsets up to a few weeks
// beyond the instants it is given, so it keeps a margin from that edge.
const INSTANT_LIMIT = 8.64e15 - 100 * DAY_MS

export function assertInstant (value: number, name = 'instant'): void {
  if (!Number.isSafeInteger(value) || Math.abs(value) > INSTANT_LIMIT) {
    throw new RangeError(`${name} must be an integer epoch millisecond within the supported range, got ${String(value)}`)
  }
}

export function assertGranularity (value: string): asserts value is Granularity {
  if (!(GRANULARITIES as readonly string[]).includes(value)) {
    throw new RangeError(`granularity must be one of ${GRANULARITIES.join(', ')}, got ${String(value)}`)
  }
}

/** A range with integer ends and from < to; an empty or reversed range is always a caller's mistake. */
export function assertRange (range: TimeRange): void {
  assertInstant(range.from, 'range.from')
  assertInstant(range.to, 'range.to')
  if (range.from >= range.to) {
    throw new RangeError(`range.from must be before range.to, got [${range.from}, ${range.to})`)
  }
}
