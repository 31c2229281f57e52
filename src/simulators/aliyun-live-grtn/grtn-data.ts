// Provider facts: docs/providers/aliyun-live-grtn.md#simulator
/**
 * The simulated co-streaming (GRTN, 连麦) usage behind DescribeLiveGrtnDuration: minutes per
 * (app, billing area, media type, media profile, 5-minute UTC slot), a pure function of those coordinates, so any
 * hour, day, app split or area split is recomputed exactly as a sum of slots.
 *
 * Areas: the API's `OverSeas` is everything outside the Chinese mainland, and the regional areas (AP1 ... MEAA) are
 * parts of it that do not cover every country (India, for one, is in none). The data therefore lives in disjoint
 * *leaf* areas: CN, the eight regional ones, and one unnamed rest of the world that only `OverSeas` (and "all areas")
 * includes. `OverSeas` = every leaf but CN; `CN` + `OverSeas` = everything.
 */
import { deterministicInteger, mix32 } from '../shared/deterministic-usage.js'

export const GRTN_SLOT_MS = 300_000
const SLOTS_PER_HOUR = 12

/** The documented `Area` values. */
export const GRTN_AREAS = ['CN', 'OverSeas', 'AP1', 'AP2', 'AP3', 'NA', 'SA', 'EU', 'MEAA'] as const
export type GrtnArea = typeof GRTN_AREAS[number]

/** Parts of OverSeas. */
export const GRTN_REGIONAL_AREAS = ['AP1', 'AP2', 'AP3', 'NA', 'SA', 'EU', 'MEAA'] as const
/** Overseas countries in no regional area: reachable only through `OverSeas` or no Area at all. */
const REST_OF_WORLD = 'rest-of-world'
const LEAVES: readonly string[] = ['CN', ...GRTN_REGIONAL_AREAS, REST_OF_WORLD]

/** The leaf areas an `Area` value covers. */
export function grtnLeavesOf (area: GrtnArea): readonly string[] {
  if (area === 'OverSeas') return LEAVES.filter(leaf => leaf !== 'CN')
  return [area]
}

export interface GrtnMedia { mediaType: 'audio' | 'video', mediaProfile: '0' | '480P' | '720P' | '1080P' }

/** Audio-only streams are billed at profile `0` (a string); video at its resolution class. */
export const GRTN_MEDIA: readonly GrtnMedia[] = Object.freeze([
  { mediaType: 'audio', mediaProfile: '0' },
  { mediaType: 'video', mediaProfile: '480P' },
  { mediaType: 'video', mediaProfile: '720P' },
  { mediaType: 'video', mediaProfile: '1080P' }
])

const APP_COUNT = 80

/** 80 application ids shaped like the real ones (UUIDs): enough that 75 configured ids is a realistic account. */
export const GRTN_APP_IDS: readonly string[] = Object.freeze(Array.from({ length: APP_COUNT }, (_, index) => appId(index)))

function appId (index: number): string {
  const hex = (digits: number, part: number): string =>
    deterministicInteger(0xffff_ffff, 'grtn-app-id', index, part).toString(16).padStart(8, '0').slice(0, digits)
  return `${hex(8, 0)}-${hex(4, 1)}-4${hex(3, 2)}-8${hex(3, 3)}-${hex(8, 4)}${hex(4, 5)}`
}

/** How often an app has any usage in a leaf area, and how often it uses a media profile there (percent). */
const LEAF_PRESENCE: Readonly<Record<string, number>> = { CN: 75, [REST_OF_WORLD]: 30 }
const DEFAULT_LEAF_PRESENCE = 20
const MEDIA_PRESENCE: Readonly<Record<string, number>> = { 0: 60, '480P': 35, '720P': 60, '1080P': 25 }
/** Apps are busy in bursts: some hours are active, and most 5-minute slots of an active hour have usage. */
const ACTIVE_HOUR_PERCENT = 15
const ACTIVE_SLOT_PERCENT = 60
/** Minutes in one slot: co-streaming duration adds up over every participant, so it can exceed 5. */
const MAX_MINUTES_PER_SLOT = 240

export interface GrtnSeries { app: string, leaf: string, media: number, seed: number }

/** Every (app, leaf, media) that ever has usage, with the seed its slot values derive from. */
const SERIES: readonly GrtnSeries[] = Object.freeze(buildSeries())

function buildSeries (): GrtnSeries[] {
  const series: GrtnSeries[] = []
  for (const app of GRTN_APP_IDS) {
    for (const leaf of LEAVES) {
      if (deterministicInteger(99, 'grtn-leaf', app, leaf) >= (LEAF_PRESENCE[leaf] ?? DEFAULT_LEAF_PRESENCE)) continue
      GRTN_MEDIA.forEach(({ mediaProfile }, media) => {
        if (deterministicInteger(99, 'grtn-media', app, leaf, mediaProfile) >= (MEDIA_PRESENCE[mediaProfile] ?? 0)) return
        series.push({ app, leaf, media, seed: deterministicInteger(0xffff_ffff, 'grtn-series', app, leaf, mediaProfile) })
      })
    }
  }
  return series
}

/** The series an (apps, areas) selection covers; null means all apps or all areas. */
export function grtnSeries (selection: { apps?: readonly string[] | null, areas?: readonly GrtnArea[] | null } = {}): GrtnSeries[] {
  const apps = selection.apps == null ? null : new Set(selection.apps)
  const leaves = selection.areas == null ? null : new Set(selection.areas.flatMap(grtnLeavesOf))
  return SERIES.filter(series => (apps === null || apps.has(series.app)) && (leaves === null || leaves.has(series.leaf)))
}

/** Minutes of one series in the 5-minute slot starting at `slotStart` (a multiple of 300 000). */
export function grtnSlotMinutes (series: GrtnSeries, slotStart: number): number {
  const slot = Math.floor(slotStart / GRTN_SLOT_MS)
  const hour = Math.floor(slot / SLOTS_PER_HOUR)
  if (mix(series.seed ^ 0x68a1_0c5d, hour) % 100 >= ACTIVE_HOUR_PERCENT) return 0
  const draw = mix(series.seed ^ 0x2f6b_9e31, slot)
  if (draw % 100 >= ACTIVE_SLOT_PERCENT) return 0
  return 1 + (draw >>> 8) % MAX_MINUTES_PER_SLOT
}

/**
 * Minutes of each series over the slots of [from, to) that have started by `now`: slots after the current one have
 * no data yet, the current one counts, so an hour or a day is exactly the sum of its slots.
 */
export function grtnRangeMinutes (series: GrtnSeries, from: number, to: number, now: number): number {
  let total = 0
  const first = Math.ceil(from / GRTN_SLOT_MS) * GRTN_SLOT_MS
  for (let slot = first; slot < to && slot <= now; slot += GRTN_SLOT_MS) total += grtnSlotMinutes(series, slot)
  return total
}

/**
 * The simulator's own truth: total co-streaming minutes for [from, to) over the selected apps and areas
 * (null: all), counting only slots started by `now`. Tests compare the service's answers against it (× 60 for seconds).
 */
export function grtnTotalMinutes (options: {
  from: number
  to: number
  now: number
  apps?: readonly string[] | null
  areas?: readonly GrtnArea[] | null
}): number {
  let total = 0
  for (const series of grtnSeries(options)) total += grtnRangeMinutes(series, options.from, options.to, options.now)
  return total
}

/** murmur3's finalizer over (seed, index): integer-only, so a month of 5-minute slots costs milliseconds. */
function mix (seed: number, index: number): number {
  return mix32((seed ^ Math.imul(index, 0x9e37_79b1)) >>> 0)
}
