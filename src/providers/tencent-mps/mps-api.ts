// Provider facts: docs/providers/tencent-mps.md
/**
 * Tencent Cloud MPS DescribeUsageData (mps 2019-06-12).
 * @see docs/providers/tencent-mps.md#response. The raw schema declares only what is read; a body that does not
 * fit is refused whole.
 */
import { z } from 'zod'
import { integer, itemList, requiredText } from '../utils/item-list.js'

export const MPS_ACTION = 'DescribeUsageData'
export const MPS_VERSION = '2019-06-12'
export const MPS_SERVICE = 'mps'

/** Request `Types` values (node SDK 4.1.299 / tccli). The API default is Transcode alone. */
export const MPS_TASK_TYPES = [
  'Transcode', 'Enhance', 'AIAnalysis', 'AIRecognition', 'AIReview', 'Snapshot', 'AnimatedGraphics', 'AiQualityControl',
  'Evaluation', 'ImageProcess', 'AddBlindWatermark', 'AddNagraWatermark', 'ExtractBlindWatermark', 'AIGCVideo', 'AIGCImage'
] as const

/** Request `ProcessRegions` values. The API default is ap-guangzhou alone. */
export const MPS_PROCESS_REGIONS = [
  'ap-guangzhou', 'ap-hongkong', 'ap-taipei', 'ap-singapore', 'ap-mumbai', 'ap-jakarta', 'ap-seoul', 'ap-bangkok',
  'ap-tokyo', 'na-siliconvalley', 'na-ashburn', 'na-toronto', 'sa-saopaulo', 'eu-frankfurt', 'eu-moscow', 'aws'
] as const

export type MpsTaskType = (typeof MPS_TASK_TYPES)[number]
export type MpsProcessRegion = (typeof MPS_PROCESS_REGIONS)[number]

// Count and Usage are documented as always present ("output_required"): a missing one is refused, not read as 0.
const taskStatDataItemsSchema = itemList({
  Time: requiredText,
  Count: integer,
  Usage: integer
})

const specificationDataItemSchema = z.object({
  Specification: z.string().min(1),
  Data: taskStatDataItemsSchema.nullable()
})

const taskStatDataSchema = z.object({
  TaskType: z.string().min(1),
  Summary: taskStatDataItemsSchema.nullable(),
  // Only read when a query breaks usage down by Specification; absent means no sub-specifications.
  Details: z.array(specificationDataItemSchema).nullish()
})

/**
 * `Data` must be present; null and [] both mean no usage (the empty shape is unconfirmed,
 * docs/providers/tencent-mps.md#unconfirmed).
 * A body without `Data` is not an answer to this API.
 */
export const mpsUsageResponseSchema = z.object({
  Data: z.array(taskStatDataSchema).nullable(),
  RequestId: z.string().nullish()
})

export type MpsTaskStatDataItem = z.infer<typeof taskStatDataItemsSchema>[number]
export type MpsSpecificationDataItem = z.infer<typeof specificationDataItemSchema>
export type MpsTaskStatData = z.infer<typeof taskStatDataSchema>
