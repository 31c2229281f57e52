/** Every source kind this service can call. Adding a provider API means adding its adapter here. */
import type { SourceAdapter } from '../usage/source-adapter.js'
import { liveGrtnAdapter } from './aliyun-live-grtn/grtn-adapter.js'
import { liveProducerAdapter } from './aliyun-live-producer/live-producer-adapter.js'

export const ADAPTERS: ReadonlyArray<SourceAdapter<any>> = [
  liveProducerAdapter,
  liveGrtnAdapter
]

export function findAdapter (kind: string): SourceAdapter<any> | undefined {
  return ADAPTERS.find(adapter => adapter.kind === kind)
}
