/** The simulator registry is the one place simulators are started from, and the embedded default serves every kind. */
import t from 'tap'
import { request } from 'undici'
import { fixedClock } from '../../src/clock.js'
import { startEmbeddedSources } from '../../src/config/embedded-sources.js'
import { ADAPTERS } from '../../src/providers/registry.js'
import { SIMULATED_KINDS, hasSimulator, startSimulator } from '../../src/simulators/index.js'

const NOW = Date.parse('2026-11-20T10:30:00Z')
const ACCOUNT = { accessKeyId: 'LTAI5tRegistryKey01', accessKeySecret: 'registry-secret-0001' }

t.test('every kind the service can call has a simulator, and only those', async t => {
  t.same([...SIMULATED_KINDS].sort(), ADAPTERS.map(adapter => adapter.kind).sort())
  t.equal(hasSimulator('aliyun.live-producer'), true)
  t.equal(hasSimulator('aliyun.vod'), false)
  t.equal(hasSimulator('toString'), false, 'inherited names are not kinds')
})

t.test('startSimulator starts the kind\'s gateway on loopback, which refuses an unsigned call and logs it', async t => {
  for (const kind of SIMULATED_KINDS) {
    const simulator = await startSimulator(kind, { accounts: [ACCOUNT], clock: fixedClock(NOW) })
    t.teardown(() => simulator.close())
    t.match(simulator.url, /^http:\/\/127\.0\.0\.1:\d+$/, kind)
    const response = await request(simulator.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    const text = await response.body.text()
    t.notMatch(text, /"Data"/, `${kind}: no usage without a signature`)
    t.equal(simulator.stats.count(), 1, `${kind}: the call is logged`)
    t.equal(simulator.stats.calls[0]?.admitted, false, `${kind}: a refused call uses no QPS budget`)
    t.not(simulator.stats.calls[0]?.code, null, `${kind}: refused with the provider's error code`)
  }
})

t.test('the embedded default starts one simulator per registered kind and points a simulated source at it', async t => {
  const embedded = await startEmbeddedSources({ clock: fixedClock(NOW), latencyMs: { min: 0, max: 0 } })
  t.teardown(() => embedded.close())
  t.same(Object.keys(embedded.simulators), SIMULATED_KINDS)
  t.same(embedded.sources.map(source => source.kind), SIMULATED_KINDS)
  for (const source of embedded.sources) {
    t.equal(source.simulated, true, source.id)
    t.equal(source.endpoint, embedded.simulators[source.kind]?.url, source.id)
  }
})
