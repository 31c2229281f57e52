// Provider facts: docs/providers/README.md#simulators
/**
 * Bodies a provider answers with 200 that a careful client must refuse rather than read as usage.
 * Generic over any API's JSON, so every simulator can reuse them.
 */

/** Looks like what a proxy or a load balancer returns in place of the API. */
export const MALFORMED_BODY = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>'

/** The first half of the real body, as if the connection dropped mid-answer behind a proxy that still said 200. */
export function truncateText (text: string): string {
  return text.slice(0, Math.floor(text.length / 2))
}

/**
 * The same structure with every number (and every all-digit string, as some Alibaba APIs send numbers as strings)
 * replaced in turn by a negative number, a fraction and an object: each must be refused, none summed.
 */
export function withWrongTypes (value: unknown): unknown {
  let replaced = 0
  const wrongValue = (original: number): unknown => {
    const variant = replaced % 3
    replaced += 1
    if (variant === 0) return -(original + 1)
    if (variant === 1) return original + 0.5
    return { Value: original }
  }
  const walk = (node: unknown): unknown => {
    if (typeof node === 'number') return wrongValue(node)
    if (typeof node === 'string' && /^\d+$/.test(node)) return wrongValue(Number(node))
    if (Array.isArray(node)) return node.map(walk)
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]))
    }
    return node
  }
  return walk(value)
}
