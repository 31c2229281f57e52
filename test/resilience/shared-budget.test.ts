/**
 * One call budget per account and API: sources of one account calling the same API (different regions here)
 * share its QPS, as the provider counts it, so together they never exceed it.
 */
import t from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { startTestService } from '../support/test-service.js'

t.test('two sources of one account and API queried at once stay within the API\'s 5 QPS together', async t => {
  const service = await startTestService(t, [
    { id: 'studio-shanghai', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator, settings: { regionId: 'cn-shanghai' } },
    { id: 'studio-beijing', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator, settings: { regionId: 'cn-beijing' }, simulatorOf: 'studio-shanghai' }
  ], { cache: false })
  const simulator = service.simulators['studio-shanghai']!
  // 89 and 87 days: three 31-day calls per source and request, 12 in all, more than two seconds' worth at 5 QPS.
  const responses = await Promise.all([
    service.getUsage('/usage?from=2026-08-23&to=2026-11-20'),
    service.getUsage('/usage?from=2026-08-24&to=2026-11-19')
  ])
  for (const response of responses) {
    t.equal(response.status, 200)
    t.same(response.json.sources.map(source => [source.id, source.status, source.calls]), [['studio-shanghai', 'ok', 3], ['studio-beijing', 'ok', 3]])
  }
  t.equal(simulator.stats.count(), 12, 'every call reached the one provider')
  t.same([...new Set(simulator.stats.calls.map(call => call.parameters.RegionId))].sort(), ['cn-beijing', 'cn-shanghai'], 'from both sources')
  t.equal(simulator.stats.throttled(), 0, 'the provider throttled nothing')
  t.ok(simulator.stats.maxCallsPerSecond() <= 5, `at most 5 calls in any second at the provider (saw ${simulator.stats.maxCallsPerSecond()})`)
})
