/** Every metric of every kind states in the catalog what an answer lacking something means. */
import t from 'tap'
import { ADAPTERS } from '../../src/providers/registry.js'
import { catalogResponse } from '../../src/routes/catalog-route.js'
import { buildCatalog } from '../../src/usage/catalog.js'

t.test('every mapping says what is refused and what reads 0, and the catalog shows it', async t => {
  const catalog = catalogResponse(buildCatalog(ADAPTERS), [])
  for (const adapter of ADAPTERS) {
    for (const mapping of adapter.metrics) {
      t.match(mapping.coverage, /refuse/, `${adapter.kind} ${mapping.metric}: what is refused`)
      const shown = catalog.metrics.find(metric => metric.name === mapping.metric)?.reportedBy.find(entry => entry.kind === adapter.kind)
      t.equal(shown?.coverage, mapping.coverage, `${adapter.kind} ${mapping.metric}: in /usage/catalog`)
    }
  }
  const mps = ADAPTERS.find(adapter => adapter.kind === 'tencent.mps')!
  t.match(mps.metrics.find(mapping => mapping.metric === 'snapshot.count')!.coverage, /Snapshot among its taskTypes.*never 0/)
})
