/**
 * The request deadline without strict: the answer is sent with what was obtained, saying what was not; with
 * strict=true it is a 504. Through the whole service, one of two sources hanging until the deadline.
 */
import t from 'tap'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { startTestService } from '../support/test-service.js'

const prompt = { id: 'prompt', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const hung = { id: 'hung', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const QUERY = '/usage?from=2026-11-01&to=2026-11-08&tz=Asia/Shanghai&timeout=1'

t.test('past the deadline: 200 with what was obtained, the cut points incomplete, a warning naming the cut calls', async t => {
  const service = await startTestService(t, [prompt, hung], { upstreamTimeoutMs: 60_000 })
  const alone = (await service.getUsage(QUERY + '&source=prompt')).json
  service.simulators.hung!.faults.inject({ kind: 'hang' }, Number.POSITIVE_INFINITY)
  const response = await service.getUsage(QUERY)
  t.equal(response.status, 200)
  const { json } = response
  t.same([json.complete, json.final], [false, false])
  t.same(json.sources.map(source => [source.id, source.status, source.error?.code ?? null]), [['prompt', 'ok', null], ['hung', 'failed', 'DEADLINE_EXCEEDED']])
  t.match(json.warnings.filter(warning => warning.type === 'deadline_exceeded'), [{
    source: null,
    message: /^DEADLINE_EXCEEDED: .*'hung' \(1 of 1 calls: 2026-11-01T00:00:00\+08:00 to 2026-11-08T00:00:00\+08:00\)/
  }])
  t.notMatch(JSON.stringify(json.warnings.filter(warning => warning.type === 'deadline_exceeded')), "'prompt'", 'the source that answered is not named')
  t.same(json.series.map(series => series.metric), alone.series.map(series => series.metric))
  json.series.forEach((series, index) => {
    const obtained = alone.series[index]!
    t.same(series.points.map(point => [point.value, point.state]), obtained.points.map(point => [point.value, 'incomplete']),
      `${series.metric}: the value is what the prompt source obtained, every point incomplete`)
    t.same([series.total, series.partialTotal], [null, obtained.total], `${series.metric}: no total, the sum obtained`)
  })

  service.simulators.hung!.faults.clear()
  const again = (await service.getUsage(QUERY)).json
  t.same([again.complete, again.sources.map(source => source.status)], [true, ['ok', 'ok']], 'the cut answer was not kept: asked again, it is whole')
})

t.test('past the deadline with strict=true: 504 DEADLINE_EXCEEDED naming each source', async t => {
  const service = await startTestService(t, [prompt, hung], { upstreamTimeoutMs: 60_000 })
  service.simulators.hung!.faults.inject({ kind: 'hang' }, Number.POSITIVE_INFINITY)
  const response = await service.getError(QUERY + '&strict=true')
  t.equal(response.status, 504)
  t.equal(response.json.error.code, 'DEADLINE_EXCEEDED')
  t.match(response.json.error.message, /^strict=true and the deadline of 1 s passed/)
  t.match(response.json.error.details, [{ source: 'prompt', status: 'ok' }, { source: 'hung', status: 'failed', error: { code: 'DEADLINE_EXCEEDED' } }])
})
