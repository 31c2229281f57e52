import { liveProducerAdapter } from '../../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../../src/simulators/index.js'
import type { ContractSubject } from '../contract.js'

export const contractSubject: ContractSubject = {
  adapter: liveProducerAdapter,
  startSimulator: startLiveProducerSimulator,
  granularity: 'day',
  zone: 'Asia/Shanghai',
  freeTextDimension: { groupBy: 'domain' }
}
