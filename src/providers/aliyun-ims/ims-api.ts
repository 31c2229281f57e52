// Provider facts: docs/providers/aliyun-ims.md
/**
 * Alibaba ICE DescribeMeterImsSummary (ice 2020-11-09): one usage total for [StartTs, EndTs), all regions.
 * @see docs/providers/aliyun-ims.md#response. The raw schema declares only the fields we read, leniently; a body
 * that does not fit is refused whole.
 */
import { z } from 'zod'
import { providerInteger } from '../utils/provider-numbers.js'

export const IMS_ACTION = 'DescribeMeterImsSummary'
export const ICE_VERSION = '2020-11-09'

/**
 * Every documented field and where it lands. The durations' unit is not documented for this API; sibling meter
 * APIs of the same product document minutes, so minutes are assumed and converted × 60. The snapshot count is a count.
 */
export const IMS_FIELDS = {
  MpsTranscodeDuration: { metric: 'transcode.duration', mode: 'vod', minutes: true },
  MpsTranscodeUHDDuration: { metric: 'enhance.duration', mode: 'vod', minutes: true },
  LiveTranscodeDuration: { metric: 'transcode.duration', mode: 'live', minutes: true },
  EditingDuration: { metric: 'editing.duration', mode: 'vod', minutes: true },
  MpsAiDuration: { metric: 'ai.duration', mode: 'vod', minutes: true },
  LiveRecordDuration: { metric: 'recording.duration', mode: 'live', minutes: true },
  LiveEditDuration: { metric: 'editing.duration', mode: 'live', minutes: true },
  LiveSnapshotCount: { metric: 'snapshot.count', mode: 'live', minutes: false }
} as const

export type ImsField = keyof typeof IMS_FIELDS

export const IMS_FIELD_NAMES = Object.keys(IMS_FIELDS) as ImsField[]

// The docs type four of these as strings and print them as numbers in an example: both are read (providerInteger).
// Every field is required: the documented example sends a zero as 0, so an absent or null field is not a zero we may
// assume, and the answer is refused rather than summed with a hole in it. Unknown extra fields are ignored.
const itemSchema = z.object({
  MpsTranscodeDuration: providerInteger,
  MpsTranscodeUHDDuration: providerInteger,
  LiveTranscodeDuration: providerInteger,
  EditingDuration: providerInteger,
  MpsAiDuration: providerInteger,
  LiveRecordDuration: providerInteger,
  LiveEditDuration: providerInteger,
  LiveSnapshotCount: providerInteger
})

// Data is required: a 200 without it is not an answer to this question, and reading it as zero would be a guess.
export const imsSummaryResponseSchema = z.object({
  RequestId: z.string().nullish(),
  Data: z.array(itemSchema)
})

export type ImsSummaryItem = z.infer<typeof itemSchema>
export type ImsSummaryResponse = z.infer<typeof imsSummaryResponseSchema>
