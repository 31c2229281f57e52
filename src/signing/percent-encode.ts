// Provider facts: docs/providers/signing.md#percent-encoding
/**
 * RFC 3986 percent-encoding as Alibaba requires: unreserved A-Z a-z 0-9 - _ . ~ kept, everything else %XX
 * uppercase of UTF-8 bytes (space -> %20, * -> %2A).
 */
const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/

export function percentEncode (value: string): string {
  // Most names and values (actions, dates, ids) are unreserved already: a signature encodes a dozen per call.
  if (UNRESERVED_ONLY.test(value)) return value
  // encodeURIComponent already emits uppercase UTF-8 escapes but leaves !'()* alone, which Alibaba does not.
  return encodeURIComponent(value).replace(/[!'()*]/g, character =>
    `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
}
