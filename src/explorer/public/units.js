/**
 * Numbers as people read them. Exact values are always available (tooltips, tables): seconds are shown as hours
 * and minutes beside the exact count of seconds, never instead of it.
 */
const exactFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const shortFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

/** 45000 second → "45,000 s"; 12 count → "12". */
export function formatExact (value, unit) {
  if (value === null || value === undefined) return 'no value'
  return unit === 'second' ? `${exactFormat.format(value)} s` : exactFormat.format(value)
}

/** 45000 → "12 h 30 min"; 90 → "1 min 30 s"; whole units only, so nothing is rounded away silently. */
export function formatDuration (seconds) {
  if (seconds === null || seconds === undefined) return 'no value'
  const sign = seconds < 0 ? '−' : ''
  let rest = Math.abs(seconds)
  const hours = Math.floor(rest / 3600)
  rest -= hours * 3600
  const minutes = Math.floor(rest / 60)
  const remainder = rest - minutes * 60
  const parts = []
  if (hours > 0) parts.push(`${exactFormat.format(hours)} h`)
  if (minutes > 0) parts.push(`${minutes} min`)
  if (remainder > 0 || parts.length === 0) parts.push(`${remainder} s`)
  return sign + parts.join(' ')
}

/** Exact, with the human reading for durations: "45,000 s (12 h 30 min)". */
export function formatValue (value, unit) {
  if (value === null || value === undefined) return 'no value'
  if (unit !== 'second' || Math.abs(value) < 60) return formatExact(value, unit)
  return `${formatExact(value, unit)} (${formatDuration(value)})`
}

/**
 * The scale a chart of this unit is drawn in, chosen from its largest value: hours, minutes or seconds for
 * durations (so the axis ticks fall on round hours), the count itself for counts.
 */
export function displayScale (unit, largest) {
  if (unit !== 'second') return { divisor: 1, label: unit === 'count' ? 'count' : 'as the provider counts them', tick: value => shortFormat.format(value) }
  if (largest >= 3600) return { divisor: 3600, label: 'hours', tick: value => `${shortFormat.format(value)} h` }
  if (largest >= 60) return { divisor: 60, label: 'minutes', tick: value => `${shortFormat.format(value)} min` }
  return { divisor: 1, label: 'seconds', tick: value => `${shortFormat.format(value)} s` }
}

export const UNIT_TITLES = { second: 'Durations', count: 'Counts', provider_unit: 'Provider units' }
