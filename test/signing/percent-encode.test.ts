import t from 'tap'
import { percentEncode } from '../../src/signing/index.js'

t.test('percentEncode follows RFC 3986 as Alibaba requires', async t => {
  const cases: Array<[input: string, expected: string]> = [
    ['AZaz09-_.~', 'AZaz09-_.~'],
    [' ', '%20'],
    ['*', '%2A'],
    ['~', '~'],
    ['/', '%2F'],
    [':', '%3A'],
    ["!'()", '%21%27%28%29'],
    ['+=&', '%2B%3D%26'],
    ['未命名', '%E6%9C%AA%E5%91%BD%E5%90%8D'],
    ['é', '%C3%A9'],
    ['😀', '%F0%9F%98%80'],
    ['', '']
  ]
  for (const [input, expected] of cases) t.equal(percentEncode(input), expected, JSON.stringify(input))
})
