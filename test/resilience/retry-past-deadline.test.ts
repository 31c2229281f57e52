/**
 * A retry that could only start after the request's deadline is not waited for: the call fails at once with the
 * provider's own code and request id, instead of a 504 that has lost them.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { findAdapter } from '../../src/providers/registry.js'
import { startLiveProducerSimulator, startTencentMpsSimulator } from '../../src/simulators/index.js'
import type { UpstreamCallLog } from '../../src/usage/source-executor.js'
import { startTestService } from '../support/test-service.js'

const RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 }
const studio = { id: 'studio', adapter: findAdapter('aliyun.live-producer')!, startSimulator: startLiveProducerSimulator }
const mps = { id: 'mps', adapter: findAdapter('tencent.mps')!, startSimulator: startTencentMpsSimulator }
const QUERY = '/usage?from=2026-11-01&to=2026-11-08&tz=Asia/Shanghai'

t.test('an x-acs-retry-after longer than the time left fails the source at once as throttled, not as a deadline', async t => {
  const calls: UpstreamCallLog[] = []
  const service = await startTestService(t, [studio], { retry: RETRY, cache: false, onCall: entry => calls.push(entry) })
  const simulator = service.simulators.studio!
  simulator.faults.inject({ kind: 'throttle', retryAfterMs: 60_000 }, Number.POSITIVE_INFINITY)
  const response = await service.getUsage(QUERY + '&timeout=2')
  t.equal(response.status, 200, 'an answer, not a 504 DEADLINE_EXCEEDED')
  t.equal(response.json.complete, false)
  const [source] = response.json.sources
  t.equal(source?.status, 'failed')
  t.equal(source?.error?.code, 'UPSTREAM_THROTTLED')
  t.equal(source?.error?.providerCode, 'Throttling.User')
  t.match(source?.error?.message, /wait 60 s/)
  t.equal(calls.length, 1, 'one attempt, no retry')
  t.equal(source?.error?.requestId, calls[0]!.requestId, "the provider's request id of that attempt")
  t.ok(source?.error?.requestId, 'which the provider did send')
  t.equal(simulator.stats.count(), 1)
  t.equal((await service.getError(QUERY + '&timeout=2&strict=true')).json.error.code, 'SOURCE_FAILED', 'strict: a 502 naming the source, not a 504')
})

t.test('a Tencent throttle (no hint) whose backoff outlasts the deadline fails at once with RequestLimitExceeded', async t => {
  const service = await startTestService(t, [mps], { retry: { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 60_000 }, cache: false })
  const simulator = service.simulators.mps!
  simulator.faults.inject({ kind: 'throttle' }, Number.POSITIVE_INFINITY)
  const response = await service.getUsage(QUERY + '&timeout=2')
  t.equal(response.status, 200, 'an answer, not a 504 DEADLINE_EXCEEDED')
  const [source] = response.json.sources
  t.equal(source?.status, 'failed')
  t.equal(source?.error?.code, 'UPSTREAM_THROTTLED')
  t.equal(source?.error?.providerCode, 'RequestLimitExceeded')
  t.match(source?.error?.message, /would start after the request deadline/)
  t.equal(simulator.stats.count(), simulator.stats.throttled(), 'every call was tried once, none retried')
})

t.test('a hint within the deadline is still waited for and retried', async t => {
  const service = await startTestService(t, [studio], { retry: RETRY, cache: false })
  service.simulators.studio!.faults.inject({ kind: 'throttle', retryAfterMs: 300 })
  const response = await service.getUsage(QUERY + '&timeout=30')
  t.equal(response.json.complete, true)
  t.equal(service.simulators.studio!.stats.count(), 2)
})

t.test('a shared call: a request whose deadline is shorter than the hint gets the throttle, a longer one gets the retry', async t => {
  const service = await startTestService(t, [studio], { retry: RETRY, cache: false })
  const simulator = service.simulators.studio!
  simulator.faults.inject({ kind: 'throttle', retryAfterMs: 2_500 })
  const patient = service.getUsage(QUERY + '&timeout=30')
  // The call is waiting out the hint once the simulator has refused it.
  while (simulator.stats.count() === 0) await sleep(5)
  const hurried = await service.getUsage(QUERY + '&timeout=1')
  t.equal(hurried.status, 200, 'not a 504')
  t.equal(hurried.json.sources[0]?.error?.code, 'UPSTREAM_THROTTLED')
  t.equal(hurried.json.sources[0]?.error?.providerCode, 'Throttling.User')
  t.equal(simulator.stats.count(), 1, 'the hurried request joined the call in flight and did not call again')
  const answered = await patient
  t.equal(answered.json.complete, true, 'the patient request got the retried answer')
  t.equal(simulator.stats.count(), 2, 'one refusal, one answer, for both requests')
})
