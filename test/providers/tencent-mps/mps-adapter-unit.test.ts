import t from 'tap'
import { CANONICAL_METRICS } from '../../../src/usage/source-adapter.js'
import { mpsAdapter, type MpsSettings } from '../../../src/providers/tencent-mps/mps-adapter.js'
import { MPS_PROCESS_REGIONS, MPS_TASK_TYPES } from '../../../src/providers/tencent-mps/mps-api.js'
import { MPS_EXTRA_METRICS, USAGE_METRIC_BY_TASK_TYPE } from '../../../src/providers/tencent-mps/mps-metrics.js'
import { classifyTencentCode, tencentHttpError } from '../../../src/providers/tencent/tencent-error.js'
import type { PushdownQuery } from '../../../src/usage/source-adapter.js'

const settings = (input: unknown = {}): MpsSettings => mpsAdapter.settingsSchema.parse(input)
const query = (overrides: Partial<PushdownQuery> = {}): PushdownQuery => ({ groupBy: [], filters: {}, grid: mpsAdapter.nativeBuckets.kind === 'grid' ? mpsAdapter.nativeBuckets.grids[0]! : null, ...overrides })

t.test('settings: every documented region and type by default, strictly validated', async t => {
  t.same(settings(), { regions: [...MPS_PROCESS_REGIONS], taskTypes: [...MPS_TASK_TYPES], service: 'mps' })
  t.equal(MPS_PROCESS_REGIONS.length, 16)
  t.equal(MPS_TASK_TYPES.length, 15)
  t.same(settings({ regions: ['ap-hongkong'], taskTypes: ['Transcode', 'AIGCImage'], service: 'mps' }).regions, ['ap-hongkong'])
  const refused: Array<[string, unknown]> = [
    ['unknown key', { region: ['ap-guangzhou'] }],
    ['unknown region', { regions: ['ap-nowhere'] }],
    ['unknown type', { taskTypes: ['Transcoding'] }],
    ['empty list', { regions: [] }],
    ['duplicate', { taskTypes: ['Transcode', 'Transcode'] }],
    ['not a list', { regions: 'ap-guangzhou' }],
    ['service not a name', { service: 'MPS service' }]
  ]
  for (const [name, input] of refused) t.notOk(mpsAdapter.settingsSchema.safeParse(input).success, name)
})

t.test('variants: always explicit Types and ProcessRegions; one call for all regions unless region matters', async t => {
  t.same(mpsAdapter.variants(query(), settings()), [{
    parameters: { types: [...MPS_TASK_TYPES], regions: [...MPS_PROCESS_REGIONS], breakdown: 'summary' },
    dimensions: {}
  }])
  t.same(mpsAdapter.variants(query({ groupBy: ['task'] }), settings({ regions: ['ap-hongkong'], taskTypes: ['Snapshot'] })), [{
    parameters: { types: ['Snapshot'], regions: ['ap-hongkong'], breakdown: 'summary' },
    dimensions: { region: 'ap-hongkong' }
  }], 'a single configured region is named on its records')
})

t.test('variants: groupBy=region or a region filter is one call per region, each record carrying it', async t => {
  const configured = settings({ regions: ['ap-guangzhou', 'ap-singapore', 'eu-frankfurt'], taskTypes: ['Transcode'] })
  t.same(mpsAdapter.variants(query({ groupBy: ['region'] }), configured).map(variant => [variant.parameters.regions, variant.dimensions]), [
    [['ap-guangzhou'], { region: 'ap-guangzhou' }], [['ap-singapore'], { region: 'ap-singapore' }], [['eu-frankfurt'], { region: 'eu-frankfurt' }]
  ])
  t.same(mpsAdapter.variants(query({ filters: { region: ['ap-singapore', 'ap-tokyo', 'ap-singapore'] } }), configured).map(variant => [variant.parameters.regions, variant.dimensions]), [
    [['ap-singapore'], { region: 'ap-singapore' }], [['ap-tokyo'], { region: 'ap-tokyo' }]
  ], 'a filter value outside the configured regions is still asked for (once)')
})

t.test('variants: a task filter is pushed down as Types; spec switches to Details', async t => {
  const [filtered] = mpsAdapter.variants(query({ filters: { task: ['Enhance', 'AIReview'] } }), settings({ taskTypes: ['Transcode'] }))
  t.same(filtered!.parameters.types, ['Enhance', 'AIReview'])
  t.equal(filtered!.parameters.breakdown, 'summary')
  for (const spec of [query({ groupBy: ['spec'] }), query({ filters: { spec: ['Audio'] } })]) {
    const [variant] = mpsAdapter.variants(spec, settings())
    t.equal(variant!.parameters.breakdown, 'specification')
  }
})

t.test('the kind: UTC+08:00 days only, documented limits, a settle delay past today', async t => {
  t.same(mpsAdapter.nativeBuckets, { kind: 'grid', grids: [{ stepMs: 86_400_000, offsetMs: -8 * 3_600_000, label: 'day (UTC+08:00)' }] })
  t.same(mpsAdapter.limits, { maxSpanMs: 90 * 86_400_000, minSpanMs: 86_400_000, lookbackMs: 365 * 86_400_000, defaultQps: 100 })
  t.ok(mpsAdapter.settleDelayMs >= 86_400_000)
  t.equal(mpsAdapter.provider, 'tencent')
  t.equal(mpsAdapter.kind, 'tencent.mps')
})

t.test('metrics: every mapped metric is canonical or one of the extra metrics, and every extra one is mapped', async t => {
  const extra = new Map(MPS_EXTRA_METRICS.map(metric => [metric.name, metric]))
  const mapped = mpsAdapter.metrics.map(mapping => mapping.metric)
  for (const metric of mapped) t.ok(CANONICAL_METRICS.some(canonical => canonical.name === metric) || extra.has(metric), metric)
  for (const metric of extra.keys()) {
    t.ok(mapped.includes(metric), `${metric} is mapped`, { found: mapped })
    t.match(metric, /^mps\./)
  }
  for (const metric of Object.values(USAGE_METRIC_BY_TASK_TYPE)) t.ok(mapped.includes(metric), metric, { found: mapped })
  t.equal(extra.get('mps.animated_graphics.duration')?.unit, 'second')
  t.same([...extra.values()].filter(metric => metric.name !== 'mps.animated_graphics.duration').filter(metric => !(metric.unit === 'provider_unit')), [])
  t.equal(new Set(mapped).size, mapped.length, 'each metric mapped once')
  t.ok(mpsAdapter.extraMetrics === MPS_EXTRA_METRICS)
})

t.test('error codes: classified by the documented Tencent code', async t => {
  const table: Array<[string, string]> = [
    ['RequestLimitExceeded', 'UPSTREAM_THROTTLED'],
    ['RequestLimitExceeded.UinLimitExceeded', 'UPSTREAM_THROTTLED'],
    ['RequestLimitExceeded.GlobalRegionUinLimitExceeded', 'UPSTREAM_THROTTLED'],
    ['AuthFailure.SignatureFailure', 'UPSTREAM_AUTH'],
    ['AuthFailure.SecretIdNotFound', 'UPSTREAM_AUTH'],
    ['AuthFailure.SignatureExpire', 'UPSTREAM_AUTH'],
    ['AuthFailure.TokenFailure', 'UPSTREAM_AUTH'],
    ['UnauthorizedOperation', 'UPSTREAM_AUTH'],
    ['FailedOperation.InvalidMpsUser', 'UPSTREAM_AUTH'],
    ['InvalidParameter', 'UPSTREAM_PARAMETER'],
    ['InvalidParameterValue', 'UPSTREAM_PARAMETER'],
    ['InvalidParameterValue.Service', 'UPSTREAM_PARAMETER'],
    ['MissingParameter', 'UPSTREAM_PARAMETER'],
    ['UnknownParameter', 'UPSTREAM_PARAMETER'],
    ['InternalError', 'UPSTREAM_SERVER'],
    ['InternalError.Something', 'UPSTREAM_SERVER'],
    ['ServiceUnavailable', 'UPSTREAM_SERVER'],
    ['FailedOperation.NetWorkError', 'UPSTREAM_SERVER'],
    ['InvalidAction', 'UPSTREAM_PARAMETER'],
    ['ResourceNotFound', 'UPSTREAM_PARAMETER']
  ]
  for (const [code, expected] of table) t.equal(classifyTencentCode(code), expected, code)
})

t.test('non-200 answers: classified by status, carrying a Tencent code and request id when the body has them', async t => {
  const body = JSON.stringify({ Response: { Error: { Code: 'ServiceUnavailable', Message: 'busy' }, RequestId: 'req-1' } })
  t.match(tencentHttpError({ status: 503, body }), { code: 'UPSTREAM_SERVER', providerCode: 'ServiceUnavailable', requestId: 'req-1', httpStatus: 503, retryable: true })
  t.match(tencentHttpError({ status: 502, body: '<html>bad gateway</html>' }), { code: 'UPSTREAM_SERVER', providerCode: null, requestId: null, httpStatus: 502 })
  t.match(tencentHttpError({ status: 429, body: '' }), { code: 'UPSTREAM_THROTTLED' })
  t.match(tencentHttpError({ status: 403, body: '' }), { code: 'UPSTREAM_AUTH' })
  t.match(tencentHttpError({ status: 404, body: '' }), { code: 'UPSTREAM_PARAMETER' })
})
