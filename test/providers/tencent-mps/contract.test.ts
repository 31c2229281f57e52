import t from 'tap'
import { mpsAdapter } from '../../../src/providers/tencent-mps/mps-adapter.js'
import { MPS_EXTRA_METRICS } from '../../../src/providers/tencent-mps/mps-metrics.js'
import { mpsUsageTotal, startTencentMpsSimulator } from '../../../src/simulators/tencent-mps/tencent-mps-simulator.js'
import { registerMetric } from '../../../src/usage/catalog.js'
import { TEST_NOW } from '../../support/test-service.js'
import { runAdapterContract } from '../contract.js'

for (const metric of MPS_EXTRA_METRICS) registerMetric(metric)

await runAdapterContract(t, {
  adapter: mpsAdapter,
  startSimulator: startTencentMpsSimulator,
  granularity: 'day',
  zone: 'Asia/Shanghai',
  truth: range => mpsUsageTotal(range, { now: TEST_NOW }),
  freeTextDimension: { none: 'a Summary day holds no text; TaskType must be one asked for, the region is the one asked for' }
})
