/**
 * UTF-8 byte order, as the signature documents specify (docs/providers/signing.md#percent-encoding). Plain `.sort()`
 * (UTF-16 units, what the Node SDKs use) differs only when characters beyond the BMP meet U+E000..U+FFFF, which real
 * parameter and header names never contain.
 */
export function compareByteOrder (left: string, right: string): number {
  // Below the surrogates (U+D800), UTF-16 units are code points and compare as UTF-8 bytes do: the first differing unit
  // decides without encoding either string (a signature sorts dozens of names per call).
  const length = Math.min(left.length, right.length)
  for (let index = 0; index < length; index++) {
    const leftUnit = left.charCodeAt(index)
    const rightUnit = right.charCodeAt(index)
    if (leftUnit === rightUnit) continue
    if (leftUnit < 0xD800 && rightUnit < 0xD800) return leftUnit - rightUnit
    return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'))
  }
  return left.length - right.length
}
