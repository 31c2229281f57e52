import t from 'tap'
import { checkVerdict } from '../../src/usage/answer-verdict.js'
import type { SourceReport, UsageAnswer } from '../../src/usage/usage-query.js'

const DAY = 86_400_000
const FROM = Date.parse('2026-10-01T00:00:00Z')

function source (id: string, overrides: Partial<SourceReport> = {}): SourceReport {
  return { id, kind: 'fake.kind', provider: 'aliyun', account: null, status: 'ok', calls: 1, cachedCalls: 0, ledgerBuckets: 0, simulated: false, error: null, outOfRange: null, ...overrides }
}

function answer (overrides: Partial<UsageAnswer> = {}): UsageAnswer {
  return {
    range: { from: FROM, to: FROM + DAY },
    buckets: [],
    series: [],
    complete: true,
    settled: true,
    sources: [source('a')],
    warnings: [],
    oldestCachedAt: null,
    now: FROM + 2 * DAY,
    deadlinePassed: false,
    upstream: [],
    ...overrides
  }
}

const lenient = { strict: false, zone: 'Asia/Shanghai' }
const strict = { strict: true, zone: 'Asia/Shanghai' }

t.test('a complete answer is sent, strict or not, even if the deadline passed after it was complete', async t => {
  t.doesNotThrow(() => checkVerdict(answer(), lenient, 5000))
  t.doesNotThrow(() => checkVerdict(answer(), strict, 5000))
  t.doesNotThrow(() => checkVerdict(answer({ deadlinePassed: true }), strict, 5000))
})

t.test('without strict, an incomplete answer is sent while the deadline has not passed', async t => {
  t.doesNotThrow(() => checkVerdict(answer({ complete: false, sources: [source('a', { status: 'failed' })] }), lenient, 5000))
})

t.test('without strict, an incomplete answer whose deadline passed is sent: what was obtained is not thrown away', async t => {
  t.doesNotThrow(() => checkVerdict(answer({ complete: false, deadlinePassed: true, sources: [source('a', { status: 'failed' })] }), lenient, 2500))
})

t.test('strict: an incomplete answer whose deadline passed is DEADLINE_EXCEEDED, with sources[] as callers read it', async t => {
  const late = answer({
    complete: false,
    deadlinePassed: true,
    sources: [source('a'), source('b', { status: 'out_of_range', outOfRange: { from: FROM, to: FROM + DAY } })]
  })
  t.throws(() => checkVerdict(late, strict, 2500), {
    code: 'DEADLINE_EXCEEDED',
    message: /^strict=true and the deadline of 2\.5 s passed/,
    details: [
      { source: 'a', id: 'a', status: 'ok', outOfRange: null },
      { source: 'b', id: 'b', status: 'out_of_range', outOfRange: { from: '2026-10-01T08:00:00+08:00', to: '2026-10-02T08:00:00+08:00' } }
    ]
  }, 'the deadline is named before the failing sources')
})

t.test('strict: a source not ok, or incomplete points, is SOURCE_FAILED naming what failed', async t => {
  const failing = answer({ complete: false, sources: [source('a'), source('b', { status: 'partial' }), source('c', { status: 'unaligned' })] })
  t.throws(() => checkVerdict(failing, strict, 5000), {
    code: 'SOURCE_FAILED',
    message: "strict=true and 'b' is partial, 'c' is unaligned",
    details: [{ source: 'a' }, { source: 'b', status: 'partial' }, { source: 'c', status: 'unaligned' }]
  })
  t.throws(() => checkVerdict(answer({ complete: false }), strict, 5000), { code: 'SOURCE_FAILED', message: 'strict=true and some points are incomplete' })
})
