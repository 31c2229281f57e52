/** The catalog is built from the adapters' declarations alone, once, and refuses declarations that disagree. */
import { systemClock } from '../../src/clock.js'
import t from 'tap'
import { ADAPTERS } from '../../src/providers/registry.js'
import { BUILT_IN_QUERY_DEFAULTS, usageQuerySchemaFor } from '../../src/schemas/usage-query-schema.js'
import { buildCatalog } from '../../src/usage/catalog.js'
import { CANONICAL_METRICS } from '../../src/usage/source-adapter.js'
import { fakeAdapter } from '../support/fake-adapter.js'

const withExtra = () => ({
  ...fakeAdapter({ kind: 'fake.extra', metrics: ['fake.widgets.count'] }),
  provider: 'fakecloud',
  extraMetrics: [{ name: 'fake.widgets.count', unit: 'count' as const, description: 'Widgets.' }],
  dimensionValues: { tier: 'gold or silver' }
})

t.test('a kind\'s own metric, provider and dimension values come from its declaration', async t => {
  const catalog = buildCatalog([...ADAPTERS, withExtra()])
  t.same(catalog.metrics.slice(0, CANONICAL_METRICS.length), CANONICAL_METRICS, 'canonical metrics first')
  t.same(catalog.findMetric('fake.widgets.count'), { name: 'fake.widgets.count', unit: 'count', description: 'Widgets.' })
  t.match(catalog.dimensions.find(dimension => dimension.name === 'provider')?.description, /fakecloud/)
  t.match(catalog.dimensions.find(dimension => dimension.name === 'tier')?.description, /fake\.extra: gold or silver/)
  t.equal(buildCatalog(ADAPTERS).findMetric('fake.widgets.count'), undefined, 'nothing is left behind in a shared registry')

  const schema = usageQuerySchemaFor({ catalog, clock: systemClock, defaults: BUILT_IN_QUERY_DEFAULTS })
  const base = { from: '2026-11-01', to: '2026-11-02' }
  t.ok(schema.safeParse({ ...base, metrics: 'fake.widgets.count' }).success, 'the query accepts the kind\'s metric')
  const refused = usageQuerySchemaFor({ catalog: buildCatalog(ADAPTERS), clock: systemClock, defaults: BUILT_IN_QUERY_DEFAULTS }).safeParse({ ...base, metrics: 'fake.widgets.count' })
  t.match(refused.error?.issues[0], { path: ['metrics'], message: /unknown metric 'fake\.widgets\.count'; known: transcode\.duration, / })
})

t.test('declarations that disagree stop the service at startup', async t => {
  const fake = fakeAdapter()
  t.throws(() => buildCatalog([fake, fakeAdapter()]), /two adapters are registered for kind fake\.kind/)
  t.throws(() => buildCatalog([{ ...fake, specificationVersion: 'v0' as 'v1' }]), /specification v0, not v1/)
  t.throws(() => buildCatalog([fakeAdapter({ metrics: ['nowhere.count'] })]), /reports metric nowhere\.count, which is neither canonical nor among its extraMetrics/)
  t.throws(() => buildCatalog([{ ...fake, dimensions: [] }]), /reports dimension tier .* without declaring it/)
  t.throws(() => buildCatalog([{ ...fake, dimensions: ['tier'], filterDimensions: ['region'] }]), /filters by dimension region without declaring it/)
  t.throws(() => buildCatalog([{ ...fake, extraMetrics: [{ name: 'transcode.duration', unit: 'count', description: 'x' }] }]),
    /declares metric transcode\.duration in count, but it is counted in second/)
})
