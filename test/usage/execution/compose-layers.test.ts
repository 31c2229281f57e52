import t from 'tap'
import { callContext, type CallHandler, type CallLayer } from '../../../src/usage/execution/call-layer.js'
import { composeLayers } from '../../../src/usage/execution/compose-layers.js'

const call = { key: 'k', window: { from: 0, to: 1 } } as never

t.test('the first layer listed sees the call first and the answer last', async t => {
  const seen: string[] = []
  const layer = (name: string): CallLayer => next => async (call, context) => {
    seen.push(`${name} in`)
    const executed = await next(call, context)
    seen.push(`${name} out`)
    return executed
  }
  const terminal: CallHandler = async () => {
    seen.push('adapter')
    return { result: { records: [], requestId: 'R' }, cachedAt: null }
  }
  const executed = await composeLayers([layer('outer'), layer('inner')], terminal)(call, callContext(new AbortController().signal))
  t.same(seen, ['outer in', 'inner in', 'adapter', 'inner out', 'outer out'])
  t.equal(executed.result.requestId, 'R')
})

t.test('no layers: the terminal handler itself', async t => {
  const terminal: CallHandler = async () => ({ result: { records: [], requestId: null }, cachedAt: null })
  t.equal(composeLayers([], terminal), terminal)
})
