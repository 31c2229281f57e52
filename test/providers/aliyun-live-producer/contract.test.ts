import t from 'tap'
import { liveProducerAdapter } from '../../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../../src/simulators/index.js'
import { runAdapterContract } from '../contract.js'

await runAdapterContract(t, {
  adapter: liveProducerAdapter,
  startSimulator: startLiveProducerSimulator,
  granularity: 'day',
  zone: 'Asia/Shanghai',
  freeTextDimension: { groupBy: 'domain' }
})
