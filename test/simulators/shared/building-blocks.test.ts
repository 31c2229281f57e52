import fc from 'fast-check'
import t from 'tap'
import { createSlidingWindowLimiter, deterministicInteger, FaultInjector, toXmlDocument, truncateText, withWrongTypes } from '../../../src/simulators/index.js'
import { formatUtcSeconds, parseUtcSeconds } from '../../../src/simulators/aliyun/utc-seconds.js'
import { propertySeed } from '../../support/property-seed.js'

t.test('deterministicInteger is stable, in range and spread out', async t => {
  // Pinned: if these change, every simulated number changed, and stored expectations elsewhere would break.
  t.same([deterministicInteger(90, 'a', 1), deterministicInteger(90, 'a', 2), deterministicInteger(1000000, 'live', 'x', 0)], [6, 72, 986728])
  t.not(deterministicInteger(1e9, 'ab', 'c'), deterministicInteger(1e9, 'a', 'bc'), 'keys are separated')
  t.equal(deterministicInteger(0, 'anything'), 0)
  t.throws(() => deterministicInteger(-1, 'a'), RangeError)
  t.throws(() => deterministicInteger(1.5, 'a'), RangeError)
  fc.assert(fc.property(fc.nat(10_000), fc.array(fc.oneof(fc.string(), fc.integer())), (max, keys) => {
    const value = deterministicInteger(max, ...keys)
    return Number.isInteger(value) && value >= 0 && value <= max && value === deterministicInteger(max, ...keys)
  }), { seed: propertySeed(t) })
  const seen = new Set(Array.from({ length: 2000 }, (_, hour) => deterministicInteger(9, 'instance', hour * 3_600_000)))
  t.equal(seen.size, 10, 'consecutive hours reach every value')
})

t.test('FaultInjector hands out faults in order, each as many times as asked', async t => {
  const faults = new FaultInjector()
  t.equal(faults.next(), undefined)
  faults.inject({ kind: 'reset' }, 2)
  faults.inject({ kind: 'malformed' })
  t.same([faults.next()?.kind, faults.next()?.kind, faults.next()?.kind, faults.next()], ['reset', 'reset', 'malformed', undefined])
  faults.inject({ kind: 'hang' }, Infinity)
  t.same(Array.from({ length: 5 }, () => faults.next()?.kind), Array(5).fill('hang'))
  faults.clear()
  t.equal(faults.next(), undefined)
  t.throws(() => faults.inject({ kind: 'hang' }, 0), RangeError)
})

t.test('the sliding window admits at most the limit per key and ignores rejections', async t => {
  let now = 0
  const limiter = createSlidingWindowLimiter({ windowMs: 1000, now: () => now })
  t.same(Array.from({ length: 4 }, () => limiter.tryAcquire('a', 2)), [true, true, false, false])
  t.equal(limiter.tryAcquire('b', 2), true, 'keys are independent')
  now = 500
  t.equal(limiter.tryAcquire('a', 2), false)
  now = 1000
  t.same([limiter.tryAcquire('a', 2), limiter.tryAcquire('a', 2), limiter.tryAcquire('a', 2)], [true, true, false])
})

t.test('XML: objects become elements, arrays repeat their key, text is escaped', async t => {
  t.equal(toXmlDocument('R', { A: 1, List: { Item: [{ B: 'x<&>' }, { B: 'y' }] }, Empty: { Item: [] }, None: null }),
    "<?xml version='1.0' encoding='UTF-8'?><R><A>1</A><List><Item><B>x&lt;&amp;&gt;</B></Item><Item><B>y</B></Item></List><Empty></Empty><None/></R>")
})

t.test('UTC seconds are parsed strictly', async t => {
  t.equal(parseUtcSeconds('2026-11-20T10:30:00Z'), Date.parse('2026-11-20T10:30:00Z'))
  for (const text of ['2026-11-20T10:30:00.000Z', '2026-11-20T10:30:00+00:00', '2026-11-20T10:30Z', '2026-13-01T00:00:00Z', '2026-02-29T00:00:00Z', '', undefined, null]) {
    t.equal(parseUtcSeconds(text), null, String(text))
  }
  t.equal(parseUtcSeconds('2028-02-29T00:00:00Z'), Date.parse('2028-02-29T00:00:00Z'), 'a leap day')
  t.equal(formatUtcSeconds(Date.parse('2026-11-20T10:30:00.999Z')), '2026-11-20T10:30:00Z')
})

t.test('corrupted bodies', async t => {
  t.equal(truncateText('abcdef'), 'abc')
  t.same(withWrongTypes({ RequestId: 'ID-1', List: [{ A: 5, B: 6, C: 7, D: '8', T: '2026-11-20T00:00:00Z' }] }),
    { RequestId: 'ID-1', List: [{ A: -6, B: 6.5, C: { Value: 7 }, D: -9, T: '2026-11-20T00:00:00Z' }] })
})
