/** Bucket sizes a caller may ask for, finest first. */
export const GRANULARITIES = ['hour', 'day', 'month'] as const
export type Granularity = (typeof GRANULARITIES)[number]
