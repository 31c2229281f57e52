// Provider facts: docs/providers/aliyun-live-producer.md
/**
 * Alibaba Live DescribeLiveProducerUsageData (live 2016-11-01).
 * @see docs/providers/aliyun-live-producer.md#response.
 * The raw schema declares only the fields we read, leniently; a body that does not fit is refused whole.
 */
import { z } from 'zod'
import { integer, itemList, optionalText, requiredText } from '../utils/item-list.js'

export const LIVE_PRODUCER_ACTION = 'DescribeLiveProducerUsageData'
export const LIVE_VERSION = '2016-11-01'

/** SplitBy values and the record dimension each fills. */
export const SPLIT_DIMENSIONS = {
  domain: { splitBy: 'domain', field: 'DomainName', parameter: 'DomainName' },
  region: { splitBy: 'region', field: 'Region', parameter: 'Region' },
  instance: { splitBy: 'instance', field: 'Instance', parameter: 'Instance' },
  type: { splitBy: 'type', field: 'Type', parameter: 'Type' }
} as const

export const DURATION_FIELDS = {
  OutputLdDuration: { metric: 'studio.output.duration', tier: 'ld' },
  OutputSdDuration: { metric: 'studio.output.duration', tier: 'sd' },
  OutputHdDuration: { metric: 'studio.output.duration', tier: 'hd' },
  TranLdDuration: { metric: 'transcode.duration', tier: 'ld' },
  TranSdDuration: { metric: 'transcode.duration', tier: 'sd' },
  TranHdDuration: { metric: 'transcode.duration', tier: 'hd' }
} as const

// Minutes. The documented example sends all six durations, zeros included: an absent or null one is not a zero
// anybody reported, so the answer is refused rather than read as 0.
const itemsSchema = itemList({
  TimeStamp: requiredText,
  DomainName: optionalText,
  Region: optionalText,
  Instance: optionalText,
  Type: optionalText,
  OutputLdDuration: integer,
  OutputSdDuration: integer,
  OutputHdDuration: integer,
  TranLdDuration: integer,
  TranSdDuration: integer,
  TranHdDuration: integer
})

export const liveProducerResponseSchema = z.object({
  RequestId: z.string().nullish(),
  BillProducerData: z.object({
    BillProducerDataItem: itemsSchema.nullish()
  }).nullish()
})

export type LiveProducerItem = z.infer<typeof itemsSchema>[number]
export type LiveProducerResponse = z.infer<typeof liveProducerResponseSchema>
