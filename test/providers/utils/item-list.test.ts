/** The per-item readers refuse exactly what the zod object of the same fields refused, with the path of the problem. */
import t from 'tap'
import { z } from 'zod'
import { integer, itemList, nonEmptyText, optionalText, requiredText } from '../../../src/providers/utils/item-list.js'
import { providerInteger } from '../../../src/providers/utils/provider-numbers.js'

const fast = itemList({ Time: requiredText, Kind: nonEmptyText, App: optionalText, Usage: integer })
const slow = z.array(z.object({ Time: z.string(), Kind: z.string().min(1), App: z.string().nullish(), Usage: providerInteger }))

function declaredFields (item: Record<string, unknown>): Record<string, unknown> {
  const declared: Record<string, unknown> = {}
  for (const name of ['Time', 'Kind', 'App', 'Usage']) if (name in item) declared[name] = item[name]
  return declared
}

t.test('accepted and refused as the zod object was', async t => {
  const cases: unknown[] = [
    [], [{ Time: 'a', Kind: 'k', Usage: 1, Extra: true }], [{ Time: 'a', Kind: 'k', App: null, Usage: '42' }],
    [{ Time: 'a', Kind: 'k', App: 'x', Usage: 0 }],
    [{ Time: 'a', Kind: 'k' }], [{ Time: 'a', Kind: 'k', Usage: null }], [{ Time: 'a', Kind: 'k', Usage: 1.5 }],
    [{ Time: 'a', Kind: 'k', Usage: -1 }], [{ Time: 'a', Kind: 'k', Usage: 2 ** 53 }], [{ Time: 'a', Kind: 'k', Usage: '9007199254740993' }],
    [{ Time: 'a', Kind: 'k', Usage: '1e3' }], [{ Time: 1, Kind: 'k', Usage: 1 }], [{ Time: 'a', Kind: '', Usage: 1 }],
    [{ Time: 'a', Kind: 'k', App: 3, Usage: 1 }], [null], ['item'], [[1]], { 0: 'not a list' }, 'text'
  ]
  for (const input of cases) {
    const expected = slow.safeParse(input)
    const actual = fast.safeParse(input)
    t.equal(actual.success, expected.success, JSON.stringify(input))
    // The declared fields as zod read them (numeric strings as integers); undeclared ones are out of the item's type.
    if (expected.success) t.same(actual.data?.map(declaredFields), expected.data, `${JSON.stringify(input)}: same output`)
    else t.same(actual.error?.issues[0]?.path, expected.error.issues[0]?.path, `${JSON.stringify(input)}: same path`)
  }
  const unsafe = fast.safeParse([{ Time: 'a', Kind: 'k', Usage: 2 ** 53 }])
  t.match(unsafe.error?.issues[0]?.message, /past 9007199254740991/, 'the message names the limit')
  t.match(fast.safeParse([{ Time: 'a', Kind: 'k' }]).error?.issues[0]?.message, /absent or null: an absent number is not a zero/)
})
