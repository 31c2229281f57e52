/**
 * A value inside parsed JSON of no known type (a simulator's answer, an error page), reached by property names:
 * undefined as soon as one step is not an object or lacks the property. A test compares it; it never trusts it.
 */
export function valueAt (json: unknown, ...path: string[]): unknown {
  let value = json
  for (const name of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined
    value = (value as Record<string, unknown>)[name]
  }
  return value
}
