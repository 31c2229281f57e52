import type { TimeRange } from './bucket.js'
import { ceilBoundary, floorBoundary } from './bucket-boundaries.js'
import { forEachBucketRun } from './bucket-runs.js'
import type { Granularity } from './granularity.js'
import { isOnGrid, type NativeGrid } from './native-grid.js'
import { assertGranularity, assertRange } from './time-guards.js'
import { resolveZone } from './zone.js'

// Zones our users are likely to want, most likely first; a suggestion outside them would only puzzle.
// Several fixed +08:00 zones are listed because Tencent's native days are UTC+08:00 days.
const CANDIDATE_ZONES = [
  'UTC', 'Asia/Shanghai', 'Europe/London', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'Asia/Dubai',
  'America/Los_Angeles', 'Australia/Sydney', 'Asia/Singapore', 'Asia/Hong_Kong', 'Asia/Taipei', 'Australia/Perth',
  'Asia/Kolkata', 'America/Chicago', 'America/Denver', 'America/Sao_Paulo', 'Europe/Paris', 'Europe/Moscow',
  'Asia/Seoul', 'Asia/Jakarta', 'Asia/Bangkok', 'Africa/Johannesburg', 'Pacific/Auckland'
] as const
const DEFAULT_LIMIT = 5

/**
 * Up to `limit` candidate zones, in the candidate list's order, in which every `granularity` bucket covering
 * `range` (widened in that zone) aligns to `grid`. [] if none.
 */
export function suggestAlignedZones (range: TimeRange, granularity: Granularity, grid: NativeGrid, limit = DEFAULT_LIMIT): string[] {
  assertRange(range)
  assertGranularity(granularity)
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`)
  const suggestions: string[] = []
  for (const zone of CANDIDATE_ZONES) {
    if (suggestions.length >= limit) break
    if (alignsInZone(range, granularity, grid, resolveZone(zone))) suggestions.push(zone)
  }
  return suggestions
}

// Stops at the first misfit, so most zones cost a few lookups; quiet stretches are checked as whole runs.
function alignsInZone (range: TimeRange, granularity: Granularity, grid: NativeGrid, zone: string): boolean {
  const from = floorBoundary(range.from, granularity, zone)
  if (!isOnGrid(from, grid)) return false
  const to = ceilBoundary(range.to, granularity, zone)
  if (!isOnGrid(to, grid)) return false
  let aligned = true
  forEachBucketRun(from, to, granularity, zone, run => {
    // Equal buckets from an on-grid start stay on the grid iff their length is a whole number of native steps.
    aligned = isOnGrid(run.start, grid) && isOnGrid(run.end, grid) && ((run.end - run.start) / run.count) % grid.stepMs === 0
    return aligned
  })
  return aligned
}
