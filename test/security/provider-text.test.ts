/** The cap on provider text: short text kept, long text cut at a separator with a note of what was cut. */
import fc from 'fast-check'
import t from 'tap'
import { UpstreamError } from '../../src/errors.js'
import { MAX_PROVIDER_IDENTIFIER_CHARACTERS, MAX_PROVIDER_MESSAGE_CHARACTERS, capProviderText } from '../../src/security/provider-text.js'
import { propertySeed } from '../support/property-seed.js'

t.test('short text is kept whole; long text is cut with a note of how much', async t => {
  t.equal(capProviderText('InvalidParameter: bad Types'), 'InvalidParameter: bad Types')
  const exact = 'x'.repeat(MAX_PROVIDER_MESSAGE_CHARACTERS)
  t.equal(capProviderText(exact), exact)
  const long = 'word '.repeat(2_000_000)
  const capped = capProviderText(long)
  t.ok(capped.length <= MAX_PROVIDER_MESSAGE_CHARACTERS, `${capped.length} characters`)
  const cut = Number(/… \((\d+) more characters cut\)$/.exec(capped)?.[1])
  t.equal(capped.indexOf('…') + cut, long.length, 'kept plus cut is the whole')
  t.equal(capProviderText(capped), capped, 'capping twice changes nothing')
})

t.test('the cut never falls inside a run that could hold a secret', async t => {
  const secret = 'CAIS+abc/def=ghi0123456789STStokenMaterial%2BXYZ'
  for (let start = 400; start < 520; start++) {
    const text = 'a'.repeat(start - 1) + ' ' + secret + ' rest '.repeat(100)
    const capped = capProviderText(text)
    const kept = capped.slice(0, capped.indexOf('…'))
    t.ok(kept.includes(secret) || !kept.includes(secret.slice(0, 4)), `secret at ${start}: whole or not at all`, { found: kept })
  }
  t.equal(capProviderText('Z'.repeat(10_000)), '… (10000 more characters cut)', 'one endless run: nothing of it is kept')
})

t.test('property: capped text is short, starts the original and splits no run', async t => {
  fc.assert(fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9+/=%]{1,80}$/), { maxLength: 200 }), fc.nat(600), (words, limit) => {
    const text = words.join(' ')
    const maxCharacters = 40 + limit
    const capped = capProviderText(text, maxCharacters)
    if (capped === text) return text.length <= maxCharacters
    const kept = capped.slice(0, capped.lastIndexOf('…'))
    const keptWords = kept.split(' ').filter(Boolean)
    return capped.length <= maxCharacters && text.startsWith(kept) && keptWords.every((word, index) => word === words[index])
  }), { seed: propertySeed(t), numRuns: 500 })
})

t.test('UpstreamError keeps at most the cap of a provider\'s message, code and request id', async t => {
  const error = new UpstreamError('UPSTREAM_PARAMETER', `Bad: ${'m '.repeat(100_000)}`, { providerCode: 'C'.repeat(100_000), requestId: 'R'.repeat(100_000) })
  t.ok(error.message.length <= MAX_PROVIDER_MESSAGE_CHARACTERS)
  t.match(error.message, /^Bad: m m .*… \(\d+ more characters cut\)$/)
  t.ok(error.providerCode!.length <= MAX_PROVIDER_IDENTIFIER_CHARACTERS)
  t.ok(error.requestId!.length <= MAX_PROVIDER_IDENTIFIER_CHARACTERS)
  t.equal(new UpstreamError('UPSTREAM_AUTH', 'short', { providerCode: 'AuthFailure', requestId: 'r-1' }).message, 'short')
})
