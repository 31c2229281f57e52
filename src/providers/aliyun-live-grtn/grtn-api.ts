// Provider facts: docs/providers/aliyun-live-grtn.md
/**
 * Alibaba Live DescribeLiveGrtnDuration (live 2016-11-01): co-streaming (GRTN, 连麦) usage.
 * @see docs/providers/aliyun-live-grtn.md#response. The raw schema declares only the fields we read, leniently; a
 * body that does not fit is refused whole.
 */
import { z } from 'zod'
import { integer, itemList, optionalText, requiredText } from '../utils/item-list.js'

export const GRTN_ACTION = 'DescribeLiveGrtnDuration'
export const LIVE_VERSION = '2016-11-01'

/** Most app ids one call may name (`AppId` comma list). */
export const MAX_APP_IDS_PER_CALL = 30

/** The documented `Area` values. OverSeas is everything outside the Chinese mainland; the others are parts of it. */
export const GRTN_AREAS = ['CN', 'OverSeas', 'AP1', 'AP2', 'AP3', 'NA', 'SA', 'EU', 'MEAA'] as const
export type GrtnAreaValue = typeof GRTN_AREAS[number]
/** Inside OverSeas: configuring one of these beside OverSeas would count its usage twice when grouped by area. */
export const GRTN_REGIONAL_AREAS: readonly GrtnAreaValue[] = ['AP1', 'AP2', 'AP3', 'NA', 'SA', 'EU', 'MEAA']

const itemsSchema = itemList({
  TimeStamp: requiredText,
  AppId: optionalText,
  MediaType: optionalText,
  // Documented as a String whose audio-only value is "0"; a number here means the body is not what we think it is.
  MediaProfile: optionalText,
  // Minutes. Documented as Long, shown as a string in the docs' JSON sample: both spellings are read, nothing else.
  Duration: integer
})

export const grtnResponseSchema = z.object({
  RequestId: z.string().nullish(),
  // The empty-result shape is undocumented: an absent list is read as no usage in the window.
  StreamDetailData: z.object({
    StreamData: itemsSchema.nullish()
  }).nullish()
})

export type GrtnItem = z.infer<typeof itemsSchema>[number]
export type GrtnResponse = z.infer<typeof grtnResponseSchema>
