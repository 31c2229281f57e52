import { IANAZone } from 'luxon'
import { HOUR_MS, MINUTE_MS, SECOND_MS } from './durations.js'

/** A stretch of time during which a zone's UTC offset does not change: [start, end). */
export interface OffsetSegment { start: number, end: number, offsetMs: number }

/** Offset changes inside one chunk of time: `starts[0]` is the chunk's start, `offsetsMs[i]` holds from `starts[i]`. */
interface Chunk { starts: number[], offsetsMs: number[] }

// Asking Intl for an offset costs microseconds and bucketing asks thousands of times, so each zone's
// offset changes are found once per ~25-day chunk and kept.
const CHUNK_MS = 2 ** 31
// Offset changes are found by sampling and bisecting. A change undone within one sample step would be
// missed; no zone has done that since 1970 (Temporal makes the same assumption about any 24 h window).
const SAMPLE_MS = 24 * HOUR_MS
// Canonical names of zones whose offset never changes: UTC (the default) needs no sampling at all.
const FIXED_OFFSET_ZONE = /^(?:UTC|Etc\/GMT[+-]\d{1,2})$/
// Bounded so that a flood of distinct zones and far-apart ranges cannot grow memory without limit.
const MAX_CACHED_CHUNKS = 50_000

const chunksByZone = new Map<string, Map<number, Chunk>>()
let cachedChunkCount = 0

/** `zone` must already be a canonical, valid zone name (see resolveZone). */
export function offsetMsAt (zone: string, instant: number): number {
  const chunk = chunkAt(zone, Math.floor(instant / CHUNK_MS))
  let low = 0
  let high = chunk.starts.length - 1
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (chunk.starts[middle]! <= instant) low = middle
    else high = middle - 1
  }
  return chunk.offsetsMs[low]!
}

/** Maximal constant-offset segments covering [from, to), clipped to it, in time order. */
export function offsetSegments (zone: string, from: number, to: number): OffsetSegment[] {
  const segments: OffsetSegment[] = []
  for (let index = Math.floor(from / CHUNK_MS); index * CHUNK_MS < to; index++) {
    const chunk = chunkAt(zone, index)
    for (let position = 0; position < chunk.starts.length; position++) {
      const start = Math.max(chunk.starts[position]!, from)
      const end = Math.min(chunk.starts[position + 1] ?? (index + 1) * CHUNK_MS, to)
      if (start >= end) continue
      const offsetMs = chunk.offsetsMs[position]!
      const previous = segments[segments.length - 1]
      // Chunk edges are not offset changes; joining across them keeps one segment per real offset.
      if (previous !== undefined && previous.offsetMs === offsetMs && previous.end === start) previous.end = end
      else segments.push({ start, end, offsetMs })
    }
  }
  return segments
}

function chunkAt (zone: string, index: number): Chunk {
  let chunks = chunksByZone.get(zone)
  if (chunks === undefined) {
    chunks = new Map()
    chunksByZone.set(zone, chunks)
  }
  let chunk = chunks.get(index)
  if (chunk === undefined) {
    if (cachedChunkCount >= MAX_CACHED_CHUNKS) {
      for (const zoneChunks of chunksByZone.values()) zoneChunks.clear()
      cachedChunkCount = 0
    }
    chunk = buildChunk(IANAZone.create(zone), index)
    chunks.set(index, chunk)
    cachedChunkCount++
  }
  return chunk
}

function buildChunk (zone: IANAZone, index: number): Chunk {
  const start = index * CHUNK_MS
  const last = start + CHUNK_MS - 1
  const starts = [start]
  const offsetsMs = [readOffsetMs(zone, start)]
  if (FIXED_OFFSET_ZONE.test(zone.name)) return { starts, offsetsMs }
  for (let sampleFrom = start; sampleFrom < last;) {
    const sampleTo = Math.min(sampleFrom + SAMPLE_MS, last)
    const offsetAtSampleEnd = readOffsetMs(zone, sampleTo)
    // Several changes may hide between two samples (A to B to C): keep bisecting until C is reached.
    let searchFrom = sampleFrom
    let known = offsetsMs[offsetsMs.length - 1]!
    while (known !== offsetAtSampleEnd) {
      const change = firstChangeAfter(zone, searchFrom, sampleTo, known)
      known = readOffsetMs(zone, change)
      starts.push(change)
      offsetsMs.push(known)
      searchFrom = change
    }
    sampleFrom = sampleTo
  }
  return { starts, offsetsMs }
}

/**
 * Smallest instant in (from, to] whose offset differs from `offsetAtFrom`, given that the one at `to` does.
 * Offsets change on whole seconds (and luxon reads them per second), so the search runs over seconds.
 */
function firstChangeAfter (zone: IANAZone, from: number, to: number, offsetAtFrom: number): number {
  let lowSecond = Math.floor(from / SECOND_MS)
  let highSecond = Math.floor(to / SECOND_MS)
  while (highSecond - lowSecond > 1) {
    const middleSecond = lowSecond + Math.floor((highSecond - lowSecond) / 2)
    if (readOffsetMs(zone, middleSecond * SECOND_MS) === offsetAtFrom) lowSecond = middleSecond
    else highSecond = middleSecond
  }
  return highSecond * SECOND_MS
}

function readOffsetMs (zone: IANAZone, instant: number): number {
  const minutes = zone.offset(instant)
  if (!Number.isFinite(minutes)) throw new RangeError(`no UTC offset known for ${zone.name} at ${instant}`)
  // Offsets before standard time had seconds; rounding keeps offsets exact integer milliseconds.
  return Math.round(minutes * MINUTE_MS)
}
