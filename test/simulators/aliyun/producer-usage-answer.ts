/**
 * DescribeLiveProducerUsageData's answer with usage, as the simulator tests read it: checked against the shape
 * the simulator promises (rows as `row` says), then typed, so a test never reads a field of `any`.
 */
import { z } from 'zod'
import { checkedBody } from '../../support/checked-body.js'
import type { CallAnswer } from './aliyun-test-client.js'

export interface ProducerUsageAnswer<Row> { RequestId: string, BillProducerData: { BillProducerDataItem: Row[] } }

/** Fails with the answer when it is not one with usage (an error, a body that is not JSON). */
export function producerUsageOf<Row> (answer: CallAnswer, row: z.ZodType<Row>): ProducerUsageAnswer<Row> {
  const schema = z.object({ RequestId: z.string(), BillProducerData: z.object({ BillProducerDataItem: z.array(row) }) })
  return checkedBody(schema, `DescribeLiveProducerUsageData: ${answer.status} ${answer.text.slice(0, 1000)}`, answer.json)
}
