/**
 * Quick ranges as relative times the service resolves in the query's time zone, against its own clock: a
 * bookmarked "last 7 days" stays the last 7 days, and the browser's clock and zone play no part.
 */
export const QUICK_RANGES = [
  { label: 'Today', from: 'now/d', to: 'now+1d/d' },
  { label: 'Last 7 days', from: 'now-7d/d', to: 'now/d' },
  { label: 'Last 30 days', from: 'now-30d/d', to: 'now/d' },
  { label: 'This month', from: 'now/M', to: 'now+1M/M' },
  { label: 'Last month', from: 'now-1M/M', to: 'now/M' }
]
