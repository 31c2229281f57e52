// Provider facts: docs/providers/README.md#simulators
/** Alibaba's one time format on the wire, `yyyy-MM-ddTHH:mm:ssZ` in UTC: parsed strictly, as the gateway does. */

const UTC_SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/

/** Epoch milliseconds, or null for anything else (offsets, milliseconds, impossible dates such as 02-30). */
export function parseUtcSeconds (text: string | undefined | null): number | null {
  if (text === undefined || text === null) return null
  const match = UTC_SECONDS.exec(text)
  if (match === null) return null
  const instant = Date.parse(text)
  // Date.parse rolls 2026-02-30 over to March; a real date formats back to the same text.
  return Number.isNaN(instant) || formatUtcSeconds(instant) !== text ? null : instant
}

export function formatUtcSeconds (instant: number): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
