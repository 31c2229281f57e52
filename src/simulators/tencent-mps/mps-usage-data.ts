// Provider facts: docs/providers/tencent-mps.md#simulator
/**
 * The simulated MPS account behind DescribeUsageData: Count and Usage per (process region, TaskType, Specification,
 * UTC+08:00 day), a pure function of those coordinates, so any day, region set or split can be recomputed exactly.
 * A TaskType's Summary is the sum of its Specifications, so Details always add up to Summary.
 * The day containing `now` is partial (the elapsed fraction, floored, per Specification); later days have no data.
 */
import { deterministicInteger } from '../shared/deterministic-usage.js'

export const MPS_DAY_MS = 86_400_000
/** Days start at 16:00Z, midnight in UTC+08:00. */
export const MPS_DAY_OFFSET_MS = -8 * 3_600_000

export const MPS_SIMULATED_TASK_TYPES = [
  'Transcode', 'Enhance', 'AIAnalysis', 'AIRecognition', 'AIReview', 'Snapshot', 'AnimatedGraphics', 'AiQualityControl',
  'Evaluation', 'ImageProcess', 'AddBlindWatermark', 'AddNagraWatermark', 'ExtractBlindWatermark', 'AIGCVideo', 'AIGCImage'
] as const

export const MPS_SIMULATED_REGIONS = [
  'ap-guangzhou', 'ap-hongkong', 'ap-taipei', 'ap-singapore', 'ap-mumbai', 'ap-jakarta', 'ap-seoul', 'ap-bangkok',
  'ap-tokyo', 'na-siliconvalley', 'na-ashburn', 'na-toronto', 'sa-saopaulo', 'eu-frankfurt', 'eu-moscow', 'aws'
] as const

/** Where this account processes media; the other regions are valid and answer zeros. */
export const MPS_ACTIVE_REGIONS: readonly string[] = ['ap-guangzhou', 'ap-hongkong', 'ap-singapore', 'na-siliconvalley', 'eu-frankfurt']

/** Specification strings per TaskType (docs/providers/tencent-mps.md#response); none means no Details. */
export const MPS_SPECIFICATIONS: Readonly<Record<string, readonly string[]>> = {
  Transcode: ['Audio', 'Remuxing', 'Standard.H264.SD', 'Standard.H264.HD', 'Standard.H265.FHD', 'TESHD-10.H265.HD', 'TESHD-10.H265.4K', 'Edit.H264.FHD'],
  Enhance: ['Enhance.H264.FHD', 'SuperResolution.H265.4K.60', 'AudioNoiseReduction'],
  AIAnalysis: ['VideoTag', 'VideoClassification', 'SmartCover', 'Highlights'],
  AIRecognition: ['FaceRecognition', 'TextRecognition', 'VoiceRecognition'],
  AIReview: [],
  Snapshot: ['ImageSprite', 'SampleSnapshot', 'SnapshotByTime'],
  AnimatedGraphics: [],
  ImageProcess: ['ImageCompression.JPEG.HD', 'ImageSuperResolution.PNG.2K', 'EnhanceImageColor.JPEG.FHD'],
  AiQualityControl: [],
  Evaluation: [],
  AddBlindWatermark: [],
  AddNagraWatermark: [],
  ExtractBlindWatermark: [],
  AIGCVideo: [],
  AIGCImage: []
}

/** Most Count and Usage one (region, type, specification) reaches in a day. */
const DAILY_MAXIMUM: Readonly<Record<string, { count: number, usage: number }>> = {
  Transcode: { count: 300, usage: 36_000 },
  Enhance: { count: 50, usage: 7_200 },
  AIAnalysis: { count: 100, usage: 10_000 },
  AIRecognition: { count: 100, usage: 10_000 },
  AIReview: { count: 100, usage: 10_000 },
  Snapshot: { count: 200, usage: 20_000 },
  AnimatedGraphics: { count: 100, usage: 3_000 },
  ImageProcess: { count: 500, usage: 5_000 }
}
const OTHER_MAXIMUM = { count: 50, usage: 1_000 }

export interface MpsAmount { count: number, usage: number }

export interface MpsTaskDay {
  summary: MpsAmount
  details: Array<{ specification: string, amount: MpsAmount }>
}

const ZERO: MpsAmount = { count: 0, usage: 0 }

/** Start of the UTC+08:00 day containing `instant`. */
export function mpsDayStart (instant: number): number {
  const shifted = instant - MPS_DAY_OFFSET_MS
  return instant - (((shifted % MPS_DAY_MS) + MPS_DAY_MS) % MPS_DAY_MS)
}

/** One (region, type, specification) on the day starting `dayStart`, as known at `now`. */
export function mpsSpecificationDay (region: string, taskType: string, specification: string, dayStart: number, now: number): MpsAmount {
  if (!MPS_ACTIVE_REGIONS.includes(region) || dayStart > now) return ZERO
  // Roughly one day in five a type is not used in a region at all, and some specifications idle more often.
  if (deterministicInteger(99, 'mps', region, taskType, dayStart, 'active') < 20) return ZERO
  if (deterministicInteger(99, 'mps', region, taskType, specification, dayStart, 'active') < 25) return ZERO
  const maximum = DAILY_MAXIMUM[taskType] ?? OTHER_MAXIMUM
  const count = deterministicInteger(maximum.count, 'mps', region, taskType, specification, dayStart, 'count')
  const usage = count === 0 ? 0 : deterministicInteger(maximum.usage, 'mps', region, taskType, specification, dayStart, 'usage')
  const elapsed = now - dayStart
  if (elapsed >= MPS_DAY_MS) return { count, usage }
  // Today so far: the same day's full numbers scaled by the elapsed part, so the day only grows.
  return { count: Math.floor(count * elapsed / MPS_DAY_MS), usage: Math.floor(usage * elapsed / MPS_DAY_MS) }
}

/** A TaskType's Summary and Details over the given regions for one day. */
export function mpsTaskDay (regions: readonly string[], taskType: string, dayStart: number, now: number): MpsTaskDay {
  const specifications = MPS_SPECIFICATIONS[taskType] ?? []
  const parts = specifications.length === 0 ? [''] : specifications
  const details = parts.map(specification => {
    const amount = { count: 0, usage: 0 }
    for (const region of regions) {
      const day = mpsSpecificationDay(region, taskType, specification, dayStart, now)
      amount.count += day.count
      amount.usage += day.usage
    }
    return { specification, amount }
  })
  const summary = details.reduce((sum, detail) => ({ count: sum.count + detail.amount.count, usage: sum.usage + detail.amount.usage }), { count: 0, usage: 0 })
  return { summary, details: specifications.length === 0 ? [] : details }
}

/**
 * The simulator's own total, Usage plus Count, over the UTC+08:00 days starting in [from, to) (as known at `now`),
 * for the given regions and types (default all): what an exact client must report for the range, all metrics summed.
 */
export function mpsUsageTotal (
  range: { from: number, to: number },
  options: { now: number, regions?: readonly string[], taskTypes?: readonly string[], field?: 'usage' | 'count' | 'both' }
): number {
  const regions = options.regions ?? MPS_SIMULATED_REGIONS
  const taskTypes = options.taskTypes ?? MPS_SIMULATED_TASK_TYPES
  const field = options.field ?? 'both'
  let total = 0
  // The first day starting at or after `from`.
  for (let day = mpsDayStart(range.from - 1) + MPS_DAY_MS; day < range.to; day += MPS_DAY_MS) {
    for (const taskType of taskTypes) {
      const { summary } = mpsTaskDay(regions, taskType, day, options.now)
      if (field !== 'count') total += summary.usage
      if (field !== 'usage') total += summary.count
    }
  }
  return total
}
