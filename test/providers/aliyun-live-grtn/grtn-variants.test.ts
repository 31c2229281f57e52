import t from 'tap'
import { GRTN_FIVE_MINUTES, GRTN_HOURLY, liveGrtnAdapter, type LiveGrtnSettings } from '../../../src/providers/aliyun-live-grtn/grtn-adapter.js'
import type { Dimension } from '../../../src/usage/source-adapter.js'
import type { PushdownQuery } from '../../../src/usage/source-adapter.js'

const APP_IDS = Array.from({ length: 75 }, (_, index) => `app-${String(index).padStart(2, '0')}`)
const settings = (overrides: Record<string, unknown> = {}): LiveGrtnSettings => liveGrtnAdapter.settingsSchema.parse(overrides)
const query = (groupBy: Dimension[] = [], filters: PushdownQuery['filters'] = {}): PushdownQuery => ({ groupBy, filters, grid: GRTN_HOURLY })

t.test('the kind: grids coarsest first, documented limits, no daily grid', async t => {
  t.equal(liveGrtnAdapter.kind, 'aliyun.live-grtn')
  t.same(liveGrtnAdapter.nativeBuckets, { kind: 'grid', grids: [GRTN_HOURLY, GRTN_FIVE_MINUTES] })
  t.same(GRTN_HOURLY, { stepMs: 3_600_000, offsetMs: 0, label: 'hour (UTC)' })
  t.same(GRTN_FIVE_MINUTES, { stepMs: 300_000, offsetMs: 0, label: '5 minutes (UTC)' })
  t.same(liveGrtnAdapter.limits, { maxSpanMs: 31 * 86_400_000, minSpanMs: 300_000, lookbackMs: 90 * 86_400_000, defaultQps: 10 })
  t.same(liveGrtnAdapter.metrics.map(mapping => [mapping.metric, mapping.conversion]), [['costreaming.duration', 'minutes × 60']])
  t.same([...liveGrtnAdapter.filterDimensions].sort(), ['app', 'area', 'mediaProfile', 'mediaType'])
})

t.test('settings: defaults, and what would count usage twice is refused', async t => {
  t.same(settings(), { regionId: 'cn-shanghai', appIds: [], areas: ['CN', 'OverSeas'] })
  t.same(settings({ appIds: [' a1 ', 'a2'], areas: ['AP1', 'NA'] }).appIds, ['a1', 'a2'])
  const refused: Array<[string, Record<string, unknown>]> = [
    ['OverSeas beside a regional area', { areas: ['CN', 'OverSeas', 'AP1'] }],
    ['a repeated area', { areas: ['CN', 'CN'] }],
    ['an unknown area', { areas: ['CN', 'Mars'] }],
    ['no area at all', { areas: [] }],
    ['a repeated app id', { appIds: ['a', 'a'] }],
    ['an app id with a comma', { appIds: ['a,b'] }],
    ['an empty app id', { appIds: [' '] }],
    ['an unknown setting', { appId: ['a'] }]
  ]
  for (const [name, input] of refused) t.equal(liveGrtnAdapter.settingsSchema.safeParse(input).success, false, name)
})

t.test('neither app nor area asked: one call, all apps and areas aggregated', async t => {
  t.same(liveGrtnAdapter.variants(query(), settings({ appIds: APP_IDS })), [{ parameters: { regionId: 'cn-shanghai' }, dimensions: {} }],
    'configured app ids do not split a query that does not ask for apps')
  t.same(liveGrtnAdapter.variants(query(['mediaProfile']), settings()), [{ parameters: { regionId: 'cn-shanghai' }, dimensions: {} }],
    'media type and profile come in every answer: no extra call')
})

t.test('groupBy=app: the configured app ids, 30 per call (75 ids: 3 calls)', async t => {
  const variants = liveGrtnAdapter.variants(query(['app']), settings({ appIds: APP_IDS }))
  t.equal(variants.length, 3)
  t.same(variants.map(variant => variant.parameters.appIds?.length), [30, 30, 15])
  t.same(variants.flatMap(variant => variant.parameters.appIds!), APP_IDS, 'every configured app once, in order')
  t.same(variants.filter(variant => !(Object.keys(variant.dimensions).length === 0)), [], 'the app comes from each item, not from the call')
  t.same(liveGrtnAdapter.variants(query(['app']), settings()), [{ parameters: { regionId: 'cn-shanghai' }, dimensions: {} }],
    'no app ids configured: all apps in one call (their usage shows with app unknown)')
})

t.test('an app filter: its values, de-duplicated, 30 per call, whatever is configured', async t => {
  const variants = liveGrtnAdapter.variants(query(['app'], { app: ['x', 'y', 'x'] }), settings({ appIds: APP_IDS }))
  t.same(variants, [{ parameters: { regionId: 'cn-shanghai', appIds: ['x', 'y'] }, dimensions: {} }])
  const many = Array.from({ length: 31 }, (_, index) => `f${index}`)
  t.same(liveGrtnAdapter.variants(query([], { app: many }), settings()).map(variant => variant.parameters.appIds?.length), [30, 1])
})

t.test('groupBy=area: one call per configured area; an area filter: one call per value as given', async t => {
  t.same(liveGrtnAdapter.variants(query(['area']), settings()), [
    { parameters: { regionId: 'cn-shanghai', area: 'CN' }, dimensions: { area: 'CN' } },
    { parameters: { regionId: 'cn-shanghai', area: 'OverSeas' }, dimensions: { area: 'OverSeas' } }
  ])
  t.same(liveGrtnAdapter.variants(query(['area']), settings({ areas: ['AP1', 'EU'] })).map(variant => variant.parameters.area), ['AP1', 'EU'])
  t.same(liveGrtnAdapter.variants(query([], { area: ['NA', 'Mars', 'NA'] }), settings()), [
    { parameters: { regionId: 'cn-shanghai', area: 'NA' }, dimensions: { area: 'NA' } },
    { parameters: { regionId: 'cn-shanghai', area: 'Mars' }, dimensions: { area: 'Mars' } }
  ], 'passed as given (the API judges the value), each once')
})

t.test('an area filter naming OverSeas and a part of it asks for OverSeas once, unless grouped by area', async t => {
  t.same(liveGrtnAdapter.variants(query([], { area: ['AP1', 'OverSeas', 'CN', 'EU'] }), settings()).map(variant => variant.parameters.area), ['OverSeas', 'CN'],
    'summed, AP1 and EU would be counted twice: OverSeas already holds them')
  t.same(liveGrtnAdapter.variants(query(['area'], { area: ['AP1', 'OverSeas'] }), settings()).map(variant => variant.parameters.area), ['AP1', 'OverSeas'],
    'grouped by area, each is its own series')
})

t.test('app and area together: every area crossed with every app chunk', async t => {
  const variants = liveGrtnAdapter.variants(query(['app', 'area']), settings({ appIds: APP_IDS }))
  t.equal(variants.length, 6)
  t.same(variants.map(variant => [variant.parameters.area, variant.parameters.appIds?.length, variant.dimensions.area]), [
    ['CN', 30, 'CN'], ['CN', 30, 'CN'], ['CN', 15, 'CN'],
    ['OverSeas', 30, 'OverSeas'], ['OverSeas', 30, 'OverSeas'], ['OverSeas', 15, 'OverSeas']
  ])
  t.same(liveGrtnAdapter.variants(query([], { app: ['a'], area: ['CN'] }), settings())[0]?.parameters, { regionId: 'cn-shanghai', area: 'CN', appIds: ['a'] })
})

t.test('the region id setting is sent with every call', async t => {
  const variants = liveGrtnAdapter.variants(query(['area']), settings({ regionId: 'ap-southeast-1' }))
  t.same(variants.filter(variant => !(variant.parameters.regionId === 'ap-southeast-1')), [])
})
