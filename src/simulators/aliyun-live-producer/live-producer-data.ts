// Provider facts: docs/providers/aliyun-live-producer.md#simulator
/**
 * The simulated production studios (云导播) behind DescribeLiveProducerUsageData and their usage: minutes per
 * instance per UTC hour, a pure function of (instance, hour, field), so any bucket or slice can be recomputed exactly.
 */
import { deterministicInteger } from '../shared/deterministic-usage.js'
import type { Restatements } from '../shared/restatements.js'

export type LiveProducerType = 'slidelive' | 'universal'

export interface LiveProducerInstance { instance: string, domain: string, region: string, type: LiveProducerType, app: string }

/** Two regions, three domains, both types, three apps: enough for every SplitBy and filter to mean something. */
export const LIVE_PRODUCER_INSTANCES: ReadonlyArray<LiveProducerInstance> = Object.freeze([
  { instance: 'a17d0184-462d-4630-b2a6-8c26dde20001', domain: 'studio.example.com', region: 'cn-shanghai', type: 'universal', app: 'liveApp' },
  { instance: '5b3e2c1a-7f4d-4e8b-9a6c-1d2e3f4a0002', domain: 'studio.example.com', region: 'cn-shanghai', type: 'slidelive', app: 'liveApp' },
  { instance: 'c0ffee42-1b2c-4d3e-8f90-a1b2c3d40003', domain: 'studio.example.com', region: 'cn-beijing', type: 'universal', app: 'classApp' },
  { instance: '9e8d7c6b-5a49-4382-b1a0-f9e8d7c60004', domain: 'events.example.net', region: 'cn-beijing', type: 'universal', app: 'eventApp' },
  { instance: '3f2e1d0c-b9a8-4765-8432-10fedcba0005', domain: 'events.example.net', region: 'cn-beijing', type: 'slidelive', app: 'eventApp' },
  { instance: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b0006', domain: 'replay.example.org', region: 'cn-shanghai', type: 'slidelive', app: 'liveApp' }
])

export const LIVE_PRODUCER_FIELDS = [
  'OutputLdDuration', 'OutputSdDuration', 'OutputHdDuration', 'TranLdDuration', 'TranSdDuration', 'TranHdDuration'
] as const

export type LiveProducerField = typeof LIVE_PRODUCER_FIELDS[number]

export const HOUR_MS = 3600 * 1000

const KNOWN_INSTANCES = new Set(LIVE_PRODUCER_INSTANCES.map(instance => instance.instance))

// Studios are not on around the clock: roughly a third of an instance's hours are idle, so zeros are real and common.
const IDLE_PERCENT = 35
// More than 60 minutes per hour is possible: one studio can push several outputs at once.
const MAX_MINUTES_PER_HOUR = 90

/**
 * Minutes of one field for one instance in the UTC hour containing `hourStart` (0 for an unknown instance).
 * `restatements` (coordinates: instance, hour start, field) change it as a provider's correction would, never below 0.
 */
export function liveProducerMinutes (instance: string, hourStart: number, field: LiveProducerField, restatements?: Restatements): number {
  if (!KNOWN_INSTANCES.has(instance)) return 0
  const hour = Math.floor(hourStart / HOUR_MS) * HOUR_MS
  const restated = restatements?.deltaOf(instance, hour, field) ?? 0
  if (deterministicInteger(99, 'live-producer', instance, hour, 'active') < IDLE_PERCENT) return Math.max(0, restated)
  return Math.max(0, deterministicInteger(MAX_MINUTES_PER_HOUR, 'live-producer', instance, hour, field) + restated)
}

/**
 * Sum over the instances and over the hours of [bucketStart, bucketStart + intervalMs) that have started by `now`:
 * hours after the current one have no data yet, the current hour counts, so a day is exactly the sum of its hours.
 */
export function liveProducerBucketTotals (
  instances: readonly LiveProducerInstance[], bucketStart: number, intervalMs: number, now: number, restatements?: Restatements
): Record<LiveProducerField, number> {
  const totals = Object.fromEntries(LIVE_PRODUCER_FIELDS.map(field => [field, 0])) as Record<LiveProducerField, number>
  for (let hour = bucketStart; hour < bucketStart + intervalMs && hour <= now; hour += HOUR_MS) {
    for (const { instance } of instances) {
      for (const field of LIVE_PRODUCER_FIELDS) totals[field] += liveProducerMinutes(instance, hour, field, restatements)
    }
  }
  return totals
}
