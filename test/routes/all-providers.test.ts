/** All four provider APIs behind one GET /usage, as the embedded default serves them. */
import t from 'tap'
import { ADAPTERS, findAdapter } from '../../src/providers/registry.js'
import { SIMULATOR_STARTERS, type SimulatedKind } from '../../src/simulators/index.js'
import type { UsageResponse } from '../../src/usage/usage-response.js'
import { startTestService } from '../support/test-service.js'

const simulatedSource = (id: string, kind: SimulatedKind) => ({ id, adapter: findAdapter(kind)!, startSimulator: SIMULATOR_STARTERS[kind] })
const service = await startTestService(t, [
  simulatedSource('studio', 'aliyun.live-producer'),
  simulatedSource('grtn', 'aliyun.live-grtn'),
  simulatedSource('ims', 'aliyun.ims'),
  simulatedSource('mps', 'tencent.mps')
])
const statusBySource = (json: UsageResponse) => Object.fromEntries(json.sources.map(source => [source.id, source.status]))

t.test('groupBy=provider,service shows all four side by side, complete', async t => {
  const response = await service.getUsage('/usage?from=2026-11-01&to=2026-11-08&tz=Asia/Shanghai&groupBy=provider,service')
  t.equal(response.status, 200)
  t.equal(response.json.complete, true, JSON.stringify(response.json.warnings))
  t.same(statusBySource(response.json), { studio: 'ok', grtn: 'ok', ims: 'ok', mps: 'ok' })
  const pairs = new Set(response.json.series.map(series => `${series.dimensions.provider}/${series.dimensions.service}`))
  t.same([...pairs].sort(), ['aliyun/ims', 'aliyun/live-grtn', 'aliyun/live-producer', 'tencent/mps'])
  const transcode = response.json.series.filter(series => series.metric === 'transcode.duration')
  t.ok(transcode.length >= 3, 'transcoding from the studio, IMS and MPS, each its own series')
})

t.test('Asia/Shanghai months include Tencent', async t => {
  const response = await service.getUsage('/usage?from=2026-09-01&to=2026-11-01&granularity=month&tz=Asia/Shanghai&provider=tencent')
  t.equal(response.json.complete, true)
  t.equal(response.json.sources[0]?.status, 'ok')
  t.same(response.json.series.filter(series => !(series.points.length === 2 && series.points.every(point => point.value !== null))), [])
})

t.test('UTC days: Tencent unaligned with a warning naming a zone that works; the others still answer', async t => {
  const response = await service.getUsage('/usage?from=2026-11-01&to=2026-11-08&tz=UTC')
  t.equal(response.status, 200)
  t.equal(response.json.complete, false)
  t.same(statusBySource(response.json), { studio: 'ok', grtn: 'ok', ims: 'ok', mps: 'unaligned' })
  const warning = response.json.warnings.find(entry => entry.type === 'unaligned' && entry.source === 'mps')
  t.ok(warning?.suggestedZones?.includes('Asia/Shanghai'), 'Asia/Shanghai is suggested', { found: warning })
  const studio = response.json.series.find(series => series.metric === 'studio.output.duration')
  t.same(studio?.points.filter(point => !(point.state === 'final')), [], 'series Tencent does not feed stay final')
  const transcode = response.json.series.find(series => series.metric === 'transcode.duration')
  t.same(transcode?.points.filter(point => !(point.state === 'incomplete' && point.value !== null && point.value > 0)), [], 'series Tencent feeds: what was obtained, incomplete')
})

t.test('Asia/Kolkata days: IMS and GRTN (5-minute) answer, hourly and UTC+8 sources are unaligned', async t => {
  const response = await service.getUsage('/usage?from=2026-11-01&to=2026-11-03&tz=Asia/Kolkata')
  t.equal(response.status, 200)
  t.same(statusBySource(response.json), { studio: 'unaligned', grtn: 'ok', ims: 'ok', mps: 'unaligned' })
  const costreaming = response.json.series.find(series => series.metric === 'costreaming.duration')
  t.same(costreaming?.points.filter(point => !(point.state === 'final' && point.value !== null && point.value > 0)), [])
})

t.test('hourly granularity: Tencent is unaligned; strict=true refuses with 502', async t => {
  const response = await service.getError('/usage?from=2026-11-01&to=2026-11-02&granularity=hour&strict=true')
  t.equal(response.status, 502)
  t.match(response.json.error.message, /'mps' is unaligned/)
  t.match(response.json.error.details.find(detail => detail.source === 'mps'), { id: 'mps', status: 'unaligned' }, 'each selected source\'s sources[] entry')
})

t.test('the catalog lists every metric with unit and provider fields, and every kind with limits', async t => {
  const catalog = (await service.getCatalog()).json
  t.same(catalog.kinds.map(kind => kind.kind).sort(), ADAPTERS.map(adapter => adapter.kind).sort())
  t.equal(catalog.kinds.length, 4)
  for (const name of ['transcode.duration', 'enhance.duration', 'ai.duration', 'editing.duration', 'recording.duration',
    'studio.output.duration', 'costreaming.duration', 'snapshot.count', 'image.count', 'tasks.count']) {
    const metric = catalog.metrics.find(entry => entry.name === name)
    t.ok((metric?.reportedBy.length ?? 0) > 0, `${name} is reported by some kind`)
    t.same(metric?.reportedBy.filter(entry => !(entry.providerFields.length > 0)), [])
  }
  t.match(catalog.kinds.find(kind => kind.kind === 'tencent.mps'), { maxSpanSeconds: 90 * 86400, lookbackDays: 365, nativeBuckets: /UTC\+08:00/ })
  t.ok(catalog.metrics.some(metric => metric.unit === 'provider_unit'), 'fields with no sure canonical home have metrics of their own', { found: catalog.metrics })
})
