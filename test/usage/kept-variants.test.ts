import t from 'tap'
import { baseLedgerVariants, rolledUpVariants } from '../../src/usage/kept-variants.js'
import type { CallVariant } from '../../src/usage/source-adapter.js'
import { HOURLY_UTC, fakeAdapter } from '../support/fake-adapter.js'

const KEPT: CallVariant = { parameters: { split: 'all' }, dimensions: {} }
const own = (query: { groupBy: readonly string[] }): CallVariant[] => [{ parameters: { split: query.groupBy.join(',') }, dimensions: {} }]

t.test('a query grouping and filtering only by the kept dimensions rolls up the kept variant', async t => {
  const adapter = { ...fakeAdapter({ variants: own }), ledgerVariant: () => ({ variant: KEPT, dimensions: ['tier', 'region'] as const }) }
  const cases: Array<[string, Parameters<typeof rolledUpVariants>[3], CallVariant[] | null]> = [
    ['nothing asked', { groupBy: [], filters: {} }, [KEPT]],
    ['grouped by a kept dimension and the identity', { groupBy: ['tier', 'source', 'provider', 'account'], filters: {} }, [KEPT]],
    ['filtered by a kept dimension', { groupBy: [], filters: { region: ['cn-shanghai'] } }, [KEPT]],
    ['grouped by another dimension', { groupBy: ['domain'], filters: {} }, null],
    ['filtered by another dimension', { groupBy: ['tier'], filters: { app: ['a'] } }, null]
  ]
  for (const [name, query, expected] of cases) t.same(rolledUpVariants(adapter, {}, HOURLY_UTC, query), expected, name)
  t.same(baseLedgerVariants(adapter, {}, HOURLY_UTC), [KEPT], 'what a sync fills: the kept variant')
})

t.test('a kind that keeps no variant of its own: every query its own variants; a sync fills the unfiltered ones', async t => {
  const adapter = fakeAdapter({ variants: own })
  t.equal(rolledUpVariants(adapter, {}, HOURLY_UTC, { groupBy: [], filters: {} }), null)
  t.same(baseLedgerVariants(adapter, {}, HOURLY_UTC), [{ parameters: { split: '' }, dimensions: {} }])
})
