import t from 'tap'
import { RateGate } from '../../src/usage/rate-gate.js'

/** Slots count from when a call finished, so arrivals sharing a slot are always more than a window apart. */
t.test('no one-second window holds more admissions than the budget, even when calls take time', async t => {
  const gate = new RateGate(5)
  const admitted: number[] = []
  await Promise.all(Array.from({ length: 12 }, async () => {
    const release = await gate.acquire()
    admitted.push(performance.now())
    await new Promise(resolve => setTimeout(resolve, 20))
    release()
  }))
  admitted.sort((left, right) => left - right)
  t.equal(admitted.length, 12)
  for (let index = 5; index < admitted.length; index++) {
    t.ok(admitted[index]! - admitted[index - 5]! >= 1000, `call ${index} is more than a second after call ${index - 5}`)
  }
})

t.test('a slot stays taken until its call finishes', async t => {
  let clock = 0
  const gate = new RateGate(1, () => clock)
  const release = await gate.acquire()
  clock = 5000
  const controller = new AbortController()
  const second = gate.acquire(controller.signal)
  setTimeout(() => controller.abort(), 100)
  await t.rejects(second, { name: 'AbortError' }, 'still waiting after five seconds, since the first call has not finished')
  release()
})

t.test('below one call a second, the window stretches', async t => {
  let clock = 0
  const gate = new RateGate(0.5, () => clock)
  ;(await gate.acquire())()
  clock = 1500
  const controller = new AbortController()
  setTimeout(() => controller.abort(), 100)
  await t.rejects(gate.acquire(controller.signal), { name: 'AbortError' })
  clock = 2010
  t.type(await gate.acquire(), 'function')
})

t.test('an aborted wait does not block the queue behind it', async t => {
  let clock = 0
  const gate = new RateGate(1, () => clock)
  const release = await gate.acquire()
  const controller = new AbortController()
  const aborted = gate.acquire(controller.signal)
  const next = gate.acquire()
  controller.abort()
  await t.rejects(aborted)
  release()
  clock = 2000
  t.type(await next, 'function')
})
