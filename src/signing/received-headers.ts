// Header handling shared by the ACS3 and TC3 signers and verifiers; internal, not re-exported from the signing index.

export type HeaderPair = readonly [name: string, value: string]

/** Flattens received headers into lowercase-named pairs; Node gives repeated headers as arrays. */
export function receivedHeaderPairs (headers: Record<string, string | string[] | undefined>): HeaderPair[] {
  const pairs: HeaderPair[] = []
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    for (const single of Array.isArray(value) ? value : [value]) pairs.push([name.toLowerCase(), single])
  }
  return pairs
}

export function firstHeaderValue (pairs: readonly HeaderPair[], lowerName: string): string | undefined {
  return pairs.find(([name]) => name === lowerName)?.[1]
}
