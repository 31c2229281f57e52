// The pure time engine: bucket boundaries in IANA zones, providers' native grids, boundary parsing.
export { GRANULARITIES, type Granularity } from './granularity.js'
export type { Bucket, TimeRange } from './bucket.js'
export { isValidZone, offsetMinutesAt } from './zone.js'
export { parseBoundary, type BoundaryForm, type ParsedBoundary } from './parse-boundary.js'
export {
  floorToBucket, ceilToBucket, widenRange, listBuckets, countBuckets, formatInstant, formatUtcSeconds
} from './buckets.js'
export {
  type NativeGrid, isOnGrid, floorToGrid, ceilToGrid, bucketsAlignToGrid, listGridBuckets
} from './native-grid.js'
export { suggestAlignedZones } from './zone-suggestions.js'
