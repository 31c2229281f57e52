/**
 * Canonical metrics and dimensions: the provider-neutral vocabulary of every answer.
 * Adapters map provider fields onto these; a field with no sure home gets a metric of its own.
 */
/** `provider_unit`: the provider does not document the unit; the number is passed through as it is. */
export const UNITS = ['second', 'count', 'provider_unit'] as const
export type Unit = (typeof UNITS)[number]

export interface MetricDefinition {
  name: string
  unit: Unit
  description: string
}

const CANONICAL_METRICS: readonly MetricDefinition[] = [
  { name: 'transcode.duration', unit: 'second', description: 'Transcoding output duration (VOD and live).' },
  { name: 'enhance.duration', unit: 'second', description: 'Audio/video enhancement duration.' },
  { name: 'ai.duration', unit: 'second', description: 'Media AI (analysis, recognition, review) duration.' },
  { name: 'editing.duration', unit: 'second', description: 'Video editing (VOD and live) output duration.' },
  { name: 'recording.duration', unit: 'second', description: 'Live recording duration.' },
  { name: 'studio.output.duration', unit: 'second', description: 'Production studio streaming output duration.' },
  { name: 'costreaming.duration', unit: 'second', description: 'Real-time co-streaming (GRTN) duration.' },
  { name: 'snapshot.count', unit: 'count', description: 'Snapshots taken.' },
  { name: 'image.count', unit: 'count', description: 'Images processed.' },
  { name: 'tasks.count', unit: 'count', description: 'Processing tasks run.' }
]

const metricsByName = new Map<string, MetricDefinition>(CANONICAL_METRICS.map(metric => [metric.name, metric]))

/** Every metric an adapter may emit: the canonical ones plus those adapters register for fields with no canonical home. */
export function listMetrics (): readonly MetricDefinition[] {
  return [...metricsByName.values()]
}

export function findMetric (name: string): MetricDefinition | undefined {
  return metricsByName.get(name)
}

/** Adapters call this at module load for provider fields that have no sure canonical metric. */
export function registerMetric (metric: MetricDefinition): void {
  const existing = metricsByName.get(metric.name)
  if (existing && existing.unit !== metric.unit) {
    throw new Error(`metric ${metric.name} is already registered with unit ${existing.unit}`)
  }
  metricsByName.set(metric.name, metric)
}

export const DIMENSIONS = [
  'provider', 'source', 'service', 'region', 'domain', 'instance', 'app', 'area', 'type',
  'mode', 'tier', 'spec', 'task', 'mediaType', 'mediaProfile'
] as const
export type Dimension = (typeof DIMENSIONS)[number]

export const DIMENSION_DESCRIPTIONS: Record<Dimension, string> = {
  provider: 'Cloud provider: aliyun or tencent.',
  source: 'Configured source id (one account at one API).',
  service: 'Provider service that produced the usage (live-producer, mps, ims, ...).',
  region: 'Provider region of the resource or processing.',
  domain: 'Streaming domain.',
  instance: 'Provider instance id.',
  app: 'Application name or id.',
  area: 'Billing area (GRTN: CN, OverSeas, AP1, ...).',
  type: 'Product type (production studio: slidelive, universal).',
  mode: 'vod or live.',
  tier: 'Definition tier: ld, sd, hd, ...',
  spec: 'Tencent Specification string.',
  task: 'Tencent TaskType or AI task.',
  mediaType: 'audio or video.',
  mediaProfile: 'Media profile (0 for audio-only, 480P, 720P, 1080P).'
}

export function isDimension (name: string): name is Dimension {
  return (DIMENSIONS as readonly string[]).includes(name)
}
