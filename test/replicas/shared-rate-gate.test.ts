import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { SharedRateGate } from '../../src/replicas/shared-rate-gate.js'
import { cleanUpKeys, openConnection, skipWithoutRedis, uniquePrefix } from '../support/redis-test-support.js'

interface CallTimes { start: number, finish: number }

/** Three replicas (three connections), one budget: bursts of calls that each take a little while. */
async function hammer (t: Test, options: { qps: number, concurrency: number, callsPerReplica: number, keyPrefix: string }): Promise<{ calls: CallTimes[], maxInFlight: number }> {
  const gates = await Promise.all([1, 2, 3].map(async () => new SharedRateGate(await openConnection(t), 'aliyun.live-producer\u0000LTAIone', { ...options, leaseMs: 10_000 })))
  const calls: CallTimes[] = []
  let inFlight = 0
  let maxInFlight = 0
  await Promise.all(gates.flatMap(gate => Array.from({ length: options.callsPerReplica }, async (_unused, index) => {
    // Bounded bursts: a third of each replica's calls arrive together, then the next third a little later.
    await sleep(Math.floor(index / 3) * 150)
    const release = await gate.acquire()
    const start = performance.now()
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    await sleep(10 + Math.floor(Math.random() * 40))
    inFlight--
    calls.push({ start, finish: performance.now() })
    release()
  })))
  return { calls, maxInFlight }
}

t.test('replicas sharing a budget', async t => {
  if (skipWithoutRedis(t)) return
  const keyPrefix = uniquePrefix('shared-rate-gate')
  cleanUpKeys(t, keyPrefix)

  t.test('no second holds more call starts than the budget, and a slot is reused only a second after its call finished', async t => {
    const qps = 3
    const { calls } = await hammer(t, { qps, concurrency: 10, callsPerReplica: 5, keyPrefix: `${keyPrefix}rate:` })
    t.equal(calls.length, 15, 'every call ran')
    for (const call of calls) {
      const inWindow = calls.filter(other => other.start >= call.start && other.start < call.start + 1000)
      t.ok(inWindow.length <= qps, `${inWindow.length} starts in the second from ${call.start.toFixed(0)}`)
      // Every slot busy (in flight, or finished less than a second ago) when this call started would mean a
      // slot was reused too early: at most qps - 1 others may be so.
      const busy = calls.filter(other => other !== call && other.start < call.start && other.finish > call.start - 1000)
      t.ok(busy.length <= qps - 1, `${busy.length} slots busy when the call at ${call.start.toFixed(0)} started`)
    }
  })

  t.test('calls in flight across replicas never exceed the cap', async t => {
    const { calls, maxInFlight } = await hammer(t, { qps: 20, concurrency: 2, callsPerReplica: 4, keyPrefix: `${keyPrefix}cap:` })
    t.equal(calls.length, 12)
    t.ok(maxInFlight <= 2, `at most 2 in flight, saw ${maxInFlight}`)
  })

  t.test('a holder that lives keeps its slot past its lease by renewing it', async t => {
    const prefix = `${keyPrefix}renew:`
    const leaseMs = 600
    const connection = await openConnection(t)
    const holder = new SharedRateGate(connection, 'one-slot', { qps: 1, concurrency: 1, leaseMs, keyPrefix: prefix })
    const waiter = new SharedRateGate(connection, 'one-slot', { qps: 1, concurrency: 1, leaseMs, keyPrefix: prefix })
    const release = await holder.acquire()
    // Without renewal the slot would be free at lease + 1 s; the waiter gives up well after that.
    const blocked = new AbortController()
    setTimeout(() => blocked.abort(), leaseMs + 1000 + 600)
    await t.rejects(waiter.acquire(blocked.signal), { name: 'AbortError' }, 'the slot stays held while its holder renews')
    release()
  })

  t.test('a holder that dies frees its slot a second after its lease ends', async t => {
    const prefix = `${keyPrefix}lease:`
    const leaseMs = 300
    const dying = await openConnection(t)
    const doomed = new SharedRateGate(dying, 'dead-slot', { qps: 1, concurrency: 1, leaseMs, keyPrefix: prefix })
    await doomed.acquire()
    const taken = performance.now()
    // It stops answering (its connection gone): no renewal, no release.
    await dying.close()
    const next = new SharedRateGate(await openConnection(t), 'dead-slot', { qps: 1, concurrency: 1, leaseMs, keyPrefix: prefix })
    await next.acquire()
    const waited = performance.now() - taken
    t.ok(waited >= leaseMs + 1000 - 100, `the slot came back ${waited.toFixed(0)} ms after it was taken (lease ${leaseMs} ms + 1 s)`)
  })

  t.test('an abort stops the wait', async t => {
    const gate = new SharedRateGate(await openConnection(t), 'abort', { qps: 1, concurrency: 1, keyPrefix: `${keyPrefix}abort:` })
    const release = await gate.acquire()
    const controller = new AbortController()
    const waiting = gate.acquire(controller.signal)
    controller.abort()
    await t.rejects(waiting, { name: 'AbortError' })
    release()
  })
})
