import { mpsAdapter } from '../../../src/providers/tencent-mps/mps-adapter.js'
import { mpsUsageTotal, startTencentMpsSimulator } from '../../../src/simulators/tencent-mps/tencent-mps-simulator.js'
import { TEST_NOW } from '../../support/test-service.js'
import type { ContractSubject } from '../contract.js'

export const contractSubject: ContractSubject = {
  adapter: mpsAdapter,
  startSimulator: startTencentMpsSimulator,
  granularity: 'day',
  zone: 'Asia/Shanghai',
  truth: range => mpsUsageTotal(range, { now: TEST_NOW }),
  freeTextDimension: { none: 'a Summary day holds no text; TaskType must be one asked for, the region is the one asked for' }
}
