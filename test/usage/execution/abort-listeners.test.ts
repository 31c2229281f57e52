import t from 'tap'
import { onAbort } from '../../../src/usage/execution/abort-listeners.js'

t.test('every callback still registered runs once, in order, when the signal aborts', async t => {
  const controller = new AbortController()
  const called: string[] = []
  onAbort(controller.signal, () => called.push('first'))
  const stop = onAbort(controller.signal, () => called.push('stopped'))
  onAbort(controller.signal, () => called.push('last'))
  stop()
  controller.abort()
  controller.abort()
  t.same(called, ['first', 'last'])
})

t.test('thousands of waiters on one signal add one listener to it', async t => {
  const controller = new AbortController()
  let added = 0
  const addEventListener = controller.signal.addEventListener.bind(controller.signal)
  controller.signal.addEventListener = (...parameters: Parameters<typeof addEventListener>) => {
    added++
    addEventListener(...parameters)
  }
  let calls = 0
  const stops = Array.from({ length: 5000 }, () => onAbort(controller.signal, () => { calls++ }))
  for (const stop of stops.slice(0, 2000)) stop()
  controller.abort()
  t.same([added, calls], [1, 3000])
})

t.test('signals do not share callbacks', async t => {
  const [one, other] = [new AbortController(), new AbortController()]
  const called: string[] = []
  onAbort(one.signal, () => called.push('one'))
  onAbort(other.signal, () => called.push('other'))
  other.abort()
  t.same(called, ['other'])
})
