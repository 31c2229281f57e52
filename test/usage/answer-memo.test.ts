import t from 'tap'
import { AnswerMemo } from '../../src/usage/answer-memo.js'
import type { UsageAnswer } from '../../src/usage/usage-query.js'

function fakeExecutor () {
  const cached = new Map<string, number>()
  return { cached, cachedAt: (key: string) => cached.get(key) ?? null }
}
const answerOf = (executor: ReturnType<typeof fakeExecutor>, keys: string[], calls = 0) =>
  ({ sources: [{ calls }], dependencies: keys.map(key => ({ executor, key })) }) as unknown as UsageAnswer
const rendered = { body: '{"a":1}', contentType: 'application/json', headers: {} }

t.test('an answer made wholly of cached upstream answers is kept for its second while they stay the same', async t => {
  const memo = new AnswerMemo(1024 * 1024)
  const executor = fakeExecutor()
  executor.cached.set('k1', 100).set('k2', 200)
  const key = AnswerMemo.keyOf({ q: 1 }, 'json', 5_500)
  memo.set(key, answerOf(executor, ['k1', 'k2']), rendered)
  t.equal(memo.get(AnswerMemo.keyOf({ q: 1 }, 'json', 5_999))?.body, rendered.body, 'same second')
  t.equal(memo.get(AnswerMemo.keyOf({ q: 1 }, 'json', 6_000)), undefined, 'next second: computed again')
  t.equal(memo.get(AnswerMemo.keyOf({ q: 1 }, 'csv', 5_500)), undefined, 'other format')
  executor.cached.set('k2', 201)
  t.equal(memo.get(key), undefined, 'an upstream answer was refetched: the kept bytes are no longer exact')
  memo.set(key, answerOf(executor, ['k1', 'k2']), rendered)
  executor.cached.delete('k1')
  t.equal(memo.get(key), undefined, 'an upstream answer expired')
})

t.test('an answer that called upstream, or whose parts are not cached, is not kept', async t => {
  const memo = new AnswerMemo(1024 * 1024)
  const executor = fakeExecutor()
  executor.cached.set('k1', 100)
  const key = AnswerMemo.keyOf({ q: 2 }, 'json', 0)
  memo.set(key, answerOf(executor, ['k1'], 1), rendered)
  t.equal(memo.get(key), undefined, 'its sources[].calls would differ from a recomputation')
  memo.set(key, answerOf(executor, ['k1', 'missing']), rendered)
  t.equal(memo.get(key), undefined)
})
