/** Provider numbers are safe integers or refused by value; minutes become seconds exactly or not at all; a bucket twice is refused. */
import fc from 'fast-check'
import t from 'tap'
import { z } from 'zod'
import { UpstreamError } from '../../src/errors.js'
import { ProviderBuckets } from '../../src/providers/utils/provider-buckets.js'
import { addExactly, minutesToSeconds, providerInteger } from '../../src/providers/utils/provider-numbers.js'
import { propertySeed } from '../support/property-seed.js'

const LARGEST = BigInt(Number.MAX_SAFE_INTEGER)
const read = (value: unknown) => z.object({ value: providerInteger }).safeParse({ value })
const messageOf = (value: unknown): string => {
  const parsed = read(value)
  return parsed.success ? '' : parsed.error.issues[0]!.message
}

t.test('table: what is read, and what is refused naming the value', async t => {
  const accepted: Array<[unknown, number]> = [
    [0, 0], ['0', 0], [' 42 ', 42], ['0007', 7], [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], ['9007199254740991', Number.MAX_SAFE_INTEGER]
  ]
  for (const [input, expected] of accepted) {
    const parsed = read(input)
    t.ok(parsed.success, JSON.stringify(input))
    if (parsed.success) t.equal(parsed.data.value, expected, JSON.stringify(input))
  }
  const refused: Array<[unknown, RegExp]> = [
    [2 ** 53, /9007199254740992 is past 9007199254740991/],
    ['9007199254740992', /"9007199254740992" is past/],
    ['9007199254740993', /"9007199254740993" is past/], // Number() would round it to 2^53 and hide the 3
    ['123456789012345678901234567890', /is past/],
    [1e300, /is past/],
    [1.5, /expected a non-negative integer, got 1.5/],
    [-1, /expected a non-negative integer, got -1/],
    ['1e3', /expected a non-negative integer/],
    ['', /expected a non-negative integer/],
    [{}, /expected a number or a numeric string/],
    [undefined, /absent or null/],
    [null, /absent or null/]
  ]
  for (const [input, pattern] of refused) t.match(messageOf(input), pattern, JSON.stringify(input) ?? 'undefined')
})

t.test('property: any digit string is read exactly when at most 2^53 - 1, refused otherwise', async t => {
  fc.assert(fc.property(fc.bigInt({ min: LARGEST - 100_000n, max: LARGEST + 100_000n }), fc.boolean(), (value, asString) => {
    const parsed = read(asString ? value.toString() : Number(value))
    if (value <= LARGEST || (!asString && Number(value) <= Number.MAX_SAFE_INTEGER)) {
      // A JSON number past the limit may round down onto it only if it equals it: Number() of these is never below it.
      return parsed.success && BigInt(parsed.data.value) === value
    }
    return !parsed.success && /is past 9007199254740991/.test(parsed.error.issues[0]!.message)
  }), { seed: propertySeed(t), numRuns: 2000 })
})

t.test('property: minutes × 60 is exact or refused, around 2^53 / 60', async t => {
  const edge = LARGEST / 60n
  fc.assert(fc.property(fc.bigInt({ min: edge - 10_000n, max: edge + 10_000n }), minutes => {
    const exact = minutes * 60n
    try {
      const seconds = minutesToSeconds(Number(minutes), 'Field')
      return exact <= LARGEST && BigInt(seconds) === exact
    } catch (error) {
      return exact > LARGEST && error instanceof UpstreamError && error.code === 'UPSTREAM_MALFORMED' && error.message.includes(`Field ${minutes} minutes`)
    }
  }), { seed: propertySeed(t), numRuns: 2000 })
  t.equal(minutesToSeconds(Number(edge), 'x'), Number(edge * 60n))
  t.throws(() => minutesToSeconds(Number(edge) + 1, 'OutputHdDuration'), { code: 'UPSTREAM_MALFORMED', message: /OutputHdDuration 150119987579017 minutes/ })
  t.throws(() => minutesToSeconds(Number(edge) + 1, 'Duration', '2026-11-10T10:00:00Z'), { message: /^Duration of 2026-11-10T10:00:00Z 150119987579017 minutes/ },
    'the item is named when given')
})

t.test('property: provider-side sums are exact or refused when they cross 2^53', async t => {
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: LARGEST }), fc.bigInt({ min: 0n, max: LARGEST }), (left, right) => {
    try {
      return BigInt(addExactly(Number(left), Number(right), () => 'Details')) === left + right && left + right <= LARGEST
    } catch (error) {
      return left + right > LARGEST && error instanceof UpstreamError && error.code === 'UPSTREAM_MALFORMED'
    }
  }), { seed: propertySeed(t), numRuns: 2000 })
})

t.test('a bucket claimed twice is refused, naming it; absent and empty fields are different buckets', async t => {
  const buckets = new ProviderBuckets('Action List', ['AppId', 'Type'])
  const start = Date.parse('2026-11-01T00:00:00Z')
  buckets.claim(start, ['app', 'x'])
  buckets.claim(start, ['app', null])
  buckets.claim(start, ['app', ''])
  buckets.claim(start + 1000, ['app', 'x'])
  t.throws(() => buckets.claim(start, ['app', 'x']), {
    code: 'UPSTREAM_MALFORMED',
    message: 'Action List lists the same bucket twice (start 2026-11-01T00:00:00.000Z, AppId=app, Type=x): it is refused rather than counted twice or guessed at'
  })
  t.throws(() => buckets.claim(start, ['app', undefined]), { message: /Type=absent/ })
})
