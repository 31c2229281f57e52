/**
 * The entity tag names an answer's data in one format: copies that differ only in how they were made (upstream
 * calls, cache hits, cache age) share it, and anything else a caller can read in the body changes it.
 */
import t from 'tap'
import { BODY_SHOWS_BOOKKEEPING, renderAnswer, ANSWER_FORMATS } from '../../src/usage/answer-formats.js'
import { cachingHeadersOf, entityTagOf, withoutBookkeeping } from '../../src/usage/answer-caching.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'

const QUERY = { groupBy: ['source'], granularity: 'day' }

function answer (): UsageResponse {
  return {
    from: '2026-10-01T00:00:00Z',
    to: '2026-10-03T00:00:00Z',
    granularity: 'day',
    tz: 'UTC',
    complete: true,
    final: true,
    series: [{
      metric: 'live.production.duration',
      unit: 'second',
      dimensions: { source: 'studio' },
      points: [
        { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z', value: 3600, state: 'final' },
        { start: '2026-10-02T00:00:00Z', end: '2026-10-03T00:00:00Z', value: 0, state: 'final' }
      ],
      total: 3600,
      partialTotal: 3600
    }],
    sources: [{
      id: 'studio', kind: 'aliyun.live-producer', provider: 'aliyun', account: null, status: 'ok', calls: 1, cachedCalls: 0, ledgerBuckets: 0, simulated: true, error: null, outOfRange: null
    }],
    warnings: [],
    cacheAgeSeconds: null
  }
}

/** The same data, as a later copy served from the cache reads. */
function fromCache (): UsageResponse {
  const copy = answer()
  copy.sources[0]!.calls = 0
  copy.sources[0]!.cachedCalls = 1
  copy.cacheAgeSeconds = 42
  return copy
}

function tagOf (format: (typeof ANSWER_FORMATS)[number], response: UsageResponse): string {
  return cachingHeadersOf(format, response, QUERY, renderAnswer(format, response, QUERY)).etag as string
}

t.test('only the JSON body shows the bookkeeping; the tabular bodies are the same whoever made the copy', async t => {
  for (const format of ANSWER_FORMATS) {
    const fetched = renderAnswer(format, answer(), QUERY).body
    const cached = renderAnswer(format, fromCache(), QUERY).body
    t.equal(fetched !== cached, BODY_SHOWS_BOOKKEEPING[format], `${format}: BODY_SHOWS_BOOKKEEPING says ${BODY_SHOWS_BOOKKEEPING[format]}`)
  }
})

t.test('every format: a copy from the cache has the fetched copy\'s tag; another value, state or status another tag', async t => {
  const changes: Array<[string, (response: UsageResponse) => void]> = [
    ['a value', response => { response.series[0]!.points[1]!.value = 1 }],
    ['a state', response => { response.series[0]!.points[1]!.state = 'provisional' }],
    // The tabular formats have no room in the body for these two: X-Usage-Complete and X-Usage-Warnings say them.
    ['completeness', response => { response.sources[0]!.status = 'partial'; response.complete = false; response.final = false }],
    ['a warning', response => { response.warnings.push({ type: 'filter_unsupported', source: 'studio', message: 'x' }) }]
  ]
  for (const format of ANSWER_FORMATS) {
    const tag = tagOf(format, answer())
    t.match(tag, /^W\/"[A-Za-z0-9_-]{43}"$/)
    t.equal(tagOf(format, fromCache()), tag, `${format}: same data, same tag`)
    for (const [what, change] of changes) {
      const changed = answer()
      change(changed)
      t.not(tagOf(format, changed), tag, `${format}: ${what} changes the tag`)
    }
  }
  t.not(tagOf('csv', answer()), tagOf('focus', answer()), 'another format, another tag')
})

t.test('the JSON tag is over exactly the answer serialized without its bookkeeping (the series are not serialized twice)', async t => {
  const cached = fromCache()
  const rendered = renderAnswer('json', cached, QUERY)
  t.equal(rendered.body, JSON.stringify(cached))
  t.equal(cachingHeadersOf('json', cached, QUERY, rendered).etag, entityTagOf({ headers: {}, body: [JSON.stringify(withoutBookkeeping(cached))] }))
  // A body that does not end in the bookkeeping keys (they moved) is rendered again whole: the same tag.
  const { cacheAgeSeconds, ...rest } = cached
  const reordered = { ...rendered, body: JSON.stringify({ cacheAgeSeconds, ...rest }) }
  t.equal(cachingHeadersOf('json', cached, QUERY, reordered).etag, cachingHeadersOf('json', cached, QUERY, rendered).etag)
})

t.test('withoutBookkeeping leaves the answer it is given as it was', async t => {
  const cached = fromCache()
  const data = withoutBookkeeping(cached)
  t.same([data.sources[0]!.calls, data.sources[0]!.cachedCalls, data.cacheAgeSeconds], [0, 0, null])
  t.same([cached.sources[0]!.calls, cached.sources[0]!.cachedCalls, cached.cacheAgeSeconds], [0, 1, 42])
})
