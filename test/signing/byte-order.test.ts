import t from 'tap'
import fc from 'fast-check'
import { compareByteOrder } from '../../src/signing/byte-order.js'
import { propertySeed } from '../support/property-seed.js'

const utf8Order = (left: string, right: string): number => Math.sign(Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8')))

t.test('orders strings as their UTF-8 bytes, beyond the BMP and around the surrogates included', async t => {
  // Characters from the places where UTF-16 order and UTF-8 order part: ASCII, below and above the surrogates, astral.
  const character = fc.constantFrom('a', 'B', '-', '~', 'é', '\u07ff', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1f600}')
  const text = fc.array(character, { maxLength: 6 }).map(characters => characters.join(''))
  fc.assert(fc.property(text, text, (left, right) => Math.sign(compareByteOrder(left, right)) === utf8Order(left, right)), { seed: propertySeed(t), numRuns: 2000 })
})

t.test('a character past the BMP sorts after U+E000..U+FFFF, unlike plain UTF-16 order', async t => {
  t.same([['\u{1f600}', '\uffff'], ['a\u{10000}', 'a\ue000'], ['ab', 'a'], ['a', 'a']].map(([left, right]) => Math.sign(compareByteOrder(left!, right!))), [1, 1, 1, 0])
  t.same(['x-acs-version', 'host', 'x-acs-action', 'content-type'].sort(compareByteOrder), ['content-type', 'host', 'x-acs-action', 'x-acs-version'])
})
