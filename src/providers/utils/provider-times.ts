/**
 * Provider timestamps. An answer repeats each bucket's start in every item of that bucket (tens of thousands of
 * items over a few thousand distinct starts), so converters read each distinct text once (byText) rather than
 * running a regular expression and a date parser per item.
 */

const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/

/** Epoch ms of a UTC ISO 8601 time ('2026-11-01T16:00Z', seconds optional), or null for anything else. */
export function parseUtcTimestamp (text: string): number | null {
  const instant = UTC_TIMESTAMP.test(text) ? Date.parse(text) : Number.NaN
  return Number.isNaN(instant) ? null : instant
}

/** `read`, remembering its answer per distinct text: for one answer's conversion, not a process-wide cache. */
export function byText<Value> (read: (text: string) => Value): (text: string) => Value {
  const known = new Map<string, Value>()
  let lastText: string | undefined
  let lastValue: Value | undefined
  return text => {
    if (text === lastText) return lastValue as Value
    let value = known.get(text)
    if (value === undefined && !known.has(text)) {
      value = read(text)
      known.set(text, value)
    }
    lastText = text
    lastValue = value
    return value as Value
  }
}
