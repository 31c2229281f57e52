// Provider facts: docs/providers/README.md
/**
 * Every source kind this service can call: adding a provider API means adding its adapter here (one line). The catalog
 * is built from this list at startup (buildCatalog), and test/providers/registered-kinds.test.ts runs the adapter
 * contract for each.
 */
import type { SourceAdapter } from '../usage/source-adapter.js'
import { imsAdapter } from './aliyun-ims/ims-adapter.js'
import { liveGrtnAdapter } from './aliyun-live-grtn/grtn-adapter.js'
import { liveProducerAdapter } from './aliyun-live-producer/live-producer-adapter.js'
import { mpsAdapter } from './tencent-mps/mps-adapter.js'

export const ADAPTERS: ReadonlyArray<SourceAdapter<any>> = [
  liveProducerAdapter,
  liveGrtnAdapter,
  imsAdapter,
  mpsAdapter
]

export function findAdapter (kind: string): SourceAdapter<any> | undefined {
  return ADAPTERS.find(adapter => adapter.kind === kind)
}
