/**
 * UTF-8 byte order, as the signature documents specify (docs/providers/signing.md#percent-encoding). Plain `.sort()`
 * (UTF-16 units, what the Node SDKs use) differs only when characters beyond the BMP meet U+E000..U+FFFF, which real
 * parameter and header names never contain.
 */
export function compareByteOrder (left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'))
}
