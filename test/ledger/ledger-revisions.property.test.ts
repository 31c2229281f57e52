import t from 'tap'
import fc from 'fast-check'
import { fixedClock } from '../../src/clock.js'
import { openLedgerStore, parseStoreUrl, type LedgerRecordInput } from '../../src/ledger/index.js'
import { HOUR, NOVEMBER_FIRST, bucketRecords } from './support/ledger-fixtures.js'
import { propertySeed } from '../support/property-seed.js'

// Random writes, rewrites and as-of reads against one PGlite in memory, compared with the simplest model of
// revisions: per bucket, the list of (recorded at, content) that differ from the one before.
const SLOTS = 6
const CONTENTS: LedgerRecordInput[][] = [[], bucketRecords(1, 10), bucketRecords(3, 20), bucketRecords(3, 30)]

type Step =
  | { kind: 'write', advance: number, buckets: Array<{ slot: number, content: number }> }
  | { kind: 'read', asOfBack: number | null }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('write' as const),
    advance: fc.integer({ min: 0, max: 3 }),
    buckets: fc.uniqueArray(fc.record({ slot: fc.integer({ min: 0, max: SLOTS - 1 }), content: fc.integer({ min: 0, max: CONTENTS.length - 1 }) }), { selector: bucket => bucket.slot, minLength: 1, maxLength: SLOTS })
  }),
  fc.record({ kind: fc.constant('read' as const), asOfBack: fc.option(fc.integer({ min: 0, max: 12 })) })
)

t.test('reads at any as-of instant match a model of revisions', async t => {
  const clock = fixedClock(1_000)
  const store = await openLedgerStore({ location: parseStoreUrl('memory:'), clock })
  t.teardown(async () => { await store.close() })
  let run = 0
  await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async steps => {
    const sourceId = `property-${run++}`
    const model = new Map<number, Array<{ recordedAt: number, content: number }>>()
    for (const action of steps) {
      if (action.kind === 'write') {
        clock.set(clock.now() + action.advance)
        const expectedOutcomes = action.buckets.map(({ slot, content }) => {
          const revisions = model.get(slot) ?? []
          const last = revisions[revisions.length - 1]
          if (last !== undefined && last.content === content) return 'unchanged'
          // Two revisions of a bucket never share an instant: a restatement within the same millisecond is stamped one later.
          model.set(slot, [...revisions, { recordedAt: last === undefined ? clock.now() : Math.max(clock.now(), last.recordedAt + 1), content }])
          return last === undefined ? 'new' : 'restated'
        })
        const result = await store.writeSettled({
          sourceId,
          variant: 'v',
          fetchedAt: clock.now(),
          requestId: null,
          buckets: action.buckets.map(({ slot, content }) => ({ start: NOVEMBER_FIRST + slot * HOUR, end: NOVEMBER_FIRST + (slot + 1) * HOUR, records: CONTENTS[content]! }))
        })
        const bySlot = new Map(action.buckets.map(({ slot }, index) => [slot, expectedOutcomes[index]]))
        for (const bucket of result.buckets) {
          if (bucket.outcome !== bySlot.get((bucket.start - NOVEMBER_FIRST) / HOUR)) return false
        }
      } else {
        const asOf = action.asOfBack === null ? null : clock.now() - action.asOfBack
        const read = await store.readRange({ sourceId, variant: 'v', from: NOVEMBER_FIRST, to: NOVEMBER_FIRST + SLOTS * HOUR, asOf })
        const expected = [...model.entries()].sort(([left], [right]) => left - right).flatMap(([slot, revisions]) => {
          const known = revisions.filter(revision => asOf === null || revision.recordedAt <= asOf)
          const latest = known[known.length - 1]
          return latest === undefined ? [] : [{ start: NOVEMBER_FIRST + slot * HOUR, revision: known.length, restated: known.length > 1, values: CONTENTS[latest.content]!.map(record => record.value).sort() }]
        })
        const actual = read.map(bucket => ({ start: bucket.start, revision: bucket.revision, restated: bucket.restated, values: bucket.records.map(record => record.value).sort() }))
        t.same(actual, expected)
        if (JSON.stringify(actual) !== JSON.stringify(expected)) return false
      }
    }
    return true
  }), { seed: propertySeed(t), numRuns: 30 })
})
