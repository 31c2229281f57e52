import { HOUR_MS } from './durations.js'
import { offsetSegments } from './offset-timeline.js'

// Offsets stay within -12 h..+14 h, so only instants within this distance of a wall time can read it.
const REACH_WINDOW_MS = 26 * HOUR_MS

/**
 * Instants, in time order, at which the local clock of `zone` (canonical) reaches the wall time `mark`:
 * where it reads `mark` exactly (twice when clocks are turned back over it) or jumps forward over it
 * (once, at the jump, when `mark` falls in a spring-forward gap).
 */
export function instantsReachingMark (mark: number, zone: string): number[] {
  const segments = offsetSegments(zone, mark - REACH_WINDOW_MS, mark + REACH_WINDOW_MS)
  const reaches: number[] = []
  for (let position = 0; position < segments.length; position++) {
    const segment = segments[position]!
    const readsMark = mark - segment.offsetMs
    if (readsMark >= segment.start && readsMark < segment.end) {
      reaches.push(readsMark)
      continue
    }
    const previous = segments[position - 1]
    const jumpsOverMark = previous !== undefined && readsMark < segment.start &&
      previous.end - 1 + previous.offsetMs < mark
    if (jumpsOverMark) reaches.push(segment.start)
  }
  if (reaches.length === 0) throw new Error(`no instant in ${zone} reads wall time ${new Date(mark).toISOString()}`)
  return reaches
}

/** The lowest wall time the clock of `zone` shows during [instant, instant + window): it may be turned back soon. */
export function lowestWallTimeAhead (instant: number, zone: string): number {
  let lowest = Infinity
  for (const segment of offsetSegments(zone, instant, instant + REACH_WINDOW_MS)) {
    lowest = Math.min(lowest, segment.start + segment.offsetMs)
  }
  return lowest
}
