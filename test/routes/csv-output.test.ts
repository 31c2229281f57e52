/**
 * CSV answers through real HTTP: RFC 4180 lines (CRLF) and dimension values from a provider that a spreadsheet
 * would run as formulas are neutralised (a leading quote, inside a quoted cell).
 */
import t from 'tap'
import { request } from 'undici'
import { buildApp } from '../../src/app.js'
import { fixedClock } from '../../src/clock.js'
import { createUpstreamHttp } from '../../src/http/upstream-http.js'
import { SourceExecutor } from '../../src/usage/source-executor.js'
import { fakeAdapter, fakeSource, HOUR } from '../support/fake-adapter.js'
import { TEST_NOW } from '../support/test-service.js'

/** What a hostile or careless provider might name a tier, and the cell each must become. */
const HOSTILE_TIERS: Array<[string, string]> = [
  ['=HYPERLINK("http://x.invalid","y")', '"\'=HYPERLINK(""http://x.invalid"",""y"")"'],
  ['+1+1', '"\'+1+1"'],
  ['-foo', '"\'-foo"'],
  ['@SUM(A1)', '"\'@SUM(A1)"'],
  ['\tx', '"\'\tx"'],
  ['\rx', '"\'\rx"'],
  ['plain', 'plain'],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""']
]

t.test('format=csv: CRLF lines, formula-like dimension values neutralised', async t => {
  const clock = fixedClock(TEST_NOW)
  const http = createUpstreamHttp()
  t.teardown(() => http.close())
  const hostile = fakeAdapter({
    answer: call => ({
      requestId: null,
      records: HOSTILE_TIERS.map(([tier], index) => ({
        metric: 'transcode.duration', start: call.window.from, end: call.window.from + HOUR, value: index + 1, dimensions: { tier }
      }))
    })
  })
  const config = fakeSource('hostile', hostile.kind)
  const app = await buildApp({ sources: [{ config, adapter: hostile, executor: new SourceExecutor(config, hostile, { http, clock }) }], clock, limits: { maxBuckets: 1000 }, requestTimeoutMs: 30_000 })
  t.teardown(() => app.close())
  const address = await app.listen({ port: 0, host: '127.0.0.1' })

  const response = await request(`${address}/usage?from=2026-11-01T00:00:00Z&to=2026-11-01T01:00:00Z&granularity=hour&groupBy=tier&format=csv`)
  const text = await response.body.text()
  t.equal(response.statusCode, 200)
  t.match(String(response.headers['content-type']), /^text\/csv/)
  t.match(text, /\r\n$/, 'the last line ends in CRLF')
  // Every line ends in CRLF: splitting on CRLF leaves no bare LF (no value here holds one).
  const lines = text.slice(0, -2).split('\r\n')
  t.equal(lines[0], 'start,end,metric,unit,tier,value,state')
  t.same(lines.filter(line => line.includes('\n')), [], 'no bare LF')
  for (const [index, [tier, cell]] of HOSTILE_TIERS.entries()) {
    const expected = `2026-11-01T00:00:00Z,2026-11-01T01:00:00Z,transcode.duration,second,${cell},${index + 1},final`
    t.match(text, expected + '\r\n', `tier ${JSON.stringify(tier)} is written as ${JSON.stringify(cell)}`)
  }
  t.equal(text.match(/,final\r\n/g)?.length, HOSTILE_TIERS.length, 'one row per tier')
})
