import { DAY_MS, HOUR_MS } from './durations.js'
import type { Granularity } from './granularity.js'
import { positiveModulo } from './positive-modulo.js'

// A "wall" time is what a local clock reads, written as the epoch milliseconds at which a UTC clock
// would read the same; a "mark" is a wall time at which a bucket of some granularity begins.

/** The latest mark at or before `wall`. */
export function floorMark (wall: number, granularity: Granularity): number {
  switch (granularity) {
    case 'hour': return wall - positiveModulo(wall, HOUR_MS)
    case 'day': return wall - positiveModulo(wall, DAY_MS)
    case 'month': {
      const date = new Date(wall)
      return monthStart(date.getUTCFullYear(), date.getUTCMonth())
    }
  }
}

/** The mark after `mark`. */
export function nextMark (mark: number, granularity: Granularity): number {
  switch (granularity) {
    case 'hour': return mark + HOUR_MS
    case 'day': return mark + DAY_MS
    case 'month': {
      const date = new Date(mark)
      return monthStart(date.getUTCFullYear(), date.getUTCMonth() + 1)
    }
  }
}

/** Date.UTC reads years 0..99 as 1900..1999; setUTCFullYear does not. A month of 12 rolls into the next year. */
export function monthStart (year: number, monthIndex: number): number {
  return new Date(0).setUTCFullYear(year, monthIndex, 1)
}
