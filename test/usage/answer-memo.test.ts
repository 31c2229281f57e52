import t from 'tap'
import { AnswerMemo } from '../../src/usage/answer-memo.js'
import type { UpstreamPart } from '../../src/usage/usage-query.js'

/** The cache as the runtime sees it: when each call's cached answer was fetched. */
function fakeCache () {
  const cached = new Map<string, number>()
  return { cached, cachedAt: ({ key }: Pick<UpstreamPart, 'key'>) => cached.get(key) ?? null }
}
/** An answer's fingerprint: each call with the cache entry that answered it, null where it called upstream. */
const answerOf = (cache: ReturnType<typeof fakeCache>, keys: string[], calls = 0): UpstreamPart[] => [
  ...keys.map(key => ({ source: 'fake-1', key, cachedAt: cache.cached.get(key) ?? null })),
  ...Array.from({ length: calls }, (_, index) => ({ source: 'fake-1', key: `called-${index}`, cachedAt: null }))
]
const rendered = { body: '{"a":1}', contentType: 'application/json', headers: {}, complete: true }

t.test('an answer made wholly of cached upstream answers is kept for its second while they stay the same', async t => {
  const cache = fakeCache()
  const memo = new AnswerMemo(1024 * 1024, cache.cachedAt)
  cache.cached.set('k1', 100).set('k2', 200)
  const key = AnswerMemo.keyOf({ q: 1 }, 'json', 5_500)
  memo.set(key, answerOf(cache, ['k1', 'k2']), rendered)
  t.equal(memo.get(AnswerMemo.keyOf({ q: 1 }, 'json', 5_999))?.body, rendered.body, 'same second')
  t.equal(memo.get(AnswerMemo.keyOf({ q: 1 }, 'json', 6_000)), undefined, 'next second: computed again')
  t.equal(memo.get(AnswerMemo.keyOf({ q: 1 }, 'csv', 5_500)), undefined, 'other format')
  cache.cached.set('k2', 201)
  t.equal(memo.get(key), undefined, 'an upstream answer was refetched: the kept bytes are no longer exact')
  memo.set(key, answerOf(cache, ['k1', 'k2']), rendered)
  cache.cached.delete('k1')
  t.equal(memo.get(key), undefined, 'an upstream answer expired')
})

t.test('an answer that called upstream, or whose parts are not cached, is not kept', async t => {
  const cache = fakeCache()
  const memo = new AnswerMemo(1024 * 1024, cache.cachedAt)
  cache.cached.set('k1', 100)
  const key = AnswerMemo.keyOf({ q: 2 }, 'json', 0)
  memo.set(key, answerOf(cache, ['k1'], 1), rendered)
  t.equal(memo.get(key), undefined, 'its sources[].calls would differ from a recomputation')
  memo.set(key, answerOf(cache, ['k1', 'missing']), rendered)
  t.equal(memo.get(key), undefined)
})

t.test('an answer is checked against the entries it was made of, not whatever is cached when it is kept', async t => {
  const cache = fakeCache()
  const memo = new AnswerMemo(1024 * 1024, cache.cachedAt)
  cache.cached.set('k1', 100)
  const madeOf = answerOf(cache, ['k1'])
  cache.cached.set('k1', 150) // refetched by another request while this answer was being merged
  const key = AnswerMemo.keyOf({ q: 3 }, 'json', 0)
  memo.set(key, madeOf, rendered)
  t.equal(memo.get(key), undefined, 'its bytes come from the entry of 100, which is gone')
})

t.test('the runtime is asked about each part by source and key', async t => {
  const asked: Array<[string, string]> = []
  const memo = new AnswerMemo(1024 * 1024, ({ source, key }) => { asked.push([source, key]); return 100 })
  const key = AnswerMemo.keyOf({ q: 4 }, 'json', 0)
  memo.set(key, [{ source: 'a', key: 'k1', cachedAt: 100 }, { source: 'b', key: 'k1', cachedAt: 100 }], rendered)
  t.equal(memo.get(key)?.body, rendered.body)
  t.same(asked, [['a', 'k1'], ['b', 'k1']])
})
