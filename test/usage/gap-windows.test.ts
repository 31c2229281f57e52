import fc from 'fast-check'
import t from 'tap'
import { gapWindows, type GapBucket } from '../../src/usage/gap-windows.js'
import { propertySeed } from '../support/property-seed.js'

const HOUR = 3_600_000
const hours = (...starts: number[]): GapBucket[] => starts.map(start => ({ start: start * HOUR, end: (start + 1) * HOUR }))
const windows = (...ranges: Array<[number, number]>) => ranges.map(([from, to]) => ({ from: from * HOUR, to: to * HOUR }))

t.test('the fewest windows for the buckets the ledger lacks', async t => {
  const cases: Array<{ name: string, missing: GapBucket[], longest: number, expected: ReturnType<typeof windows> }> = [
    { name: 'nothing missing: no call', missing: [], longest: 24 * HOUR, expected: [] },
    { name: 'one gap', missing: hours(3, 4, 5), longest: 24 * HOUR, expected: windows([3, 6]) },
    { name: 'two gaps within one span: one window over the settled hours between', missing: hours(1, 2, 10), longest: 24 * HOUR, expected: windows([1, 11]) },
    { name: 'two gaps farther apart than one span: two windows', missing: hours(0, 30), longest: 24 * HOUR, expected: windows([0, 1], [30, 31]) },
    { name: 'a long gap split at the span limit', missing: hours(0, 1, 2, 3, 4), longest: 2 * HOUR, expected: windows([0, 2], [2, 4], [4, 5]) },
    { name: 'a window never ends on a settled bucket', missing: hours(0, 3), longest: 3 * HOUR, expected: windows([0, 1], [3, 4]) },
    { name: 'order of the input does not matter', missing: hours(5, 1, 3), longest: 24 * HOUR, expected: windows([1, 6]) }
  ]
  for (const { name, missing, longest, expected } of cases) t.same(gapWindows(missing, longest), expected, name)
})

t.test('property: every missing bucket is in exactly one window, windows fit the span, and no fewer windows could', async t => {
  fc.assert(fc.property(
    fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 60 }),
    fc.integer({ min: 1, max: 48 }),
    (starts, longestHours) => {
      const missing = hours(...starts)
      const longest = longestHours * HOUR
      const result = gapWindows(missing, longest)
      for (const window of result) {
        if (window.to - window.from > longest) return false
        const inside = missing.filter(bucket => bucket.start >= window.from && bucket.end <= window.to)
        // Starts and ends on a missing bucket.
        if (!inside.some(bucket => bucket.start === window.from) || !inside.some(bucket => bucket.end === window.to)) return false
      }
      for (const bucket of missing) {
        if (result.filter(window => bucket.start >= window.from && bucket.end <= window.to).length !== 1) return false
      }
      // A lower bound: buckets more than one span apart pairwise need windows of their own.
      const sorted = [...starts].sort((left, right) => left - right)
      let needed = 0
      let reach = Number.NEGATIVE_INFINITY
      for (const start of sorted) {
        if (start + 1 > reach) {
          needed++
          reach = start + longestHours
        }
      }
      return result.length === needed
    }
  ), { seed: propertySeed(t) })
})
