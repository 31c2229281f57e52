// Provider facts: docs/providers/README.md
/** Every source kind this service can call. Adding a provider API means adding its adapter here. */
import type { SourceAdapter } from '../usage/source-adapter.js'
import { imsAdapter } from './aliyun-ims/ims-adapter.js'
import { liveGrtnAdapter } from './aliyun-live-grtn/grtn-adapter.js'
import { liveProducerAdapter } from './aliyun-live-producer/live-producer-adapter.js'
import { mpsAdapter } from './tencent-mps/mps-adapter.js'
import { registerMetric } from '../usage/catalog.js'

export const ADAPTERS: ReadonlyArray<SourceAdapter<any>> = [
  liveProducerAdapter,
  liveGrtnAdapter,
  imsAdapter,
  mpsAdapter
]

// Provider fields with no sure canonical home are metrics of their own; they must be known before any query.
for (const adapter of ADAPTERS) {
  for (const metric of adapter.extraMetrics ?? []) registerMetric(metric)
}

export function findAdapter (kind: string): SourceAdapter<any> | undefined {
  return ADAPTERS.find(adapter => adapter.kind === kind)
}
