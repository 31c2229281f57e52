// Provider facts: docs/providers/tencent-mps.md
/**
 * Which metric each MPS TaskType's `Usage` becomes (docs/providers/tencent-mps.md#response). Units come from the
 * `Summary` field doc: seconds for Transcode, Enhance, the AI types and AnimatedGraphics; images for Snapshot and
 * ImageProcess. The other request types have no documented unit, so each gets a metric of its own in `provider_unit`
 * rather than a guessed one.
 * `Count` (tasks) is tasks.count for every type; every record carries the TaskType as `task`.
 */
import type { Dimension, MetricDefinition } from '../../usage/source-adapter.js'
import type { MetricMapping } from '../../usage/source-adapter.js'

/** Metrics of this kind beyond the canonical catalog; registry.ts registers them with registerMetric. */
export const MPS_EXTRA_METRICS: readonly MetricDefinition[] = [
  { name: 'mps.animated_graphics.duration', unit: 'second', description: 'Tencent MPS animated graphics (GIF/WebP) generation duration.' },
  { name: 'mps.ai_quality_control.usage', unit: 'provider_unit', description: 'Tencent MPS media quality control (AiQualityControl) usage; unit not documented.' },
  { name: 'mps.evaluation.usage', unit: 'provider_unit', description: 'Tencent MPS video evaluation usage; unit not documented.' },
  { name: 'mps.add_blind_watermark.usage', unit: 'provider_unit', description: 'Tencent MPS basic copyright digital watermark embedding usage; unit not documented.' },
  { name: 'mps.add_nagra_watermark.usage', unit: 'provider_unit', description: 'Tencent MPS NAGRA digital watermark embedding usage; unit not documented.' },
  { name: 'mps.extract_blind_watermark.usage', unit: 'provider_unit', description: 'Tencent MPS basic copyright digital watermark extraction usage; unit not documented.' },
  { name: 'mps.aigc_video.usage', unit: 'provider_unit', description: 'Tencent MPS AIGC video generation usage; unit not documented.' },
  { name: 'mps.aigc_image.usage', unit: 'provider_unit', description: 'Tencent MPS AIGC image generation usage; unit not documented.' },
  { name: 'mps.other.usage', unit: 'provider_unit', description: 'Tencent MPS usage of a TaskType this service does not know yet (see the task dimension); unit unknown.' }
]

/** Every TaskType this kind knows, with its Usage metric. A type not listed goes to OTHER_USAGE_METRIC. */
export const USAGE_METRIC_BY_TASK_TYPE: Readonly<Record<string, string>> = {
  Transcode: 'transcode.duration',
  Enhance: 'enhance.duration',
  AIAnalysis: 'ai.duration',
  AIRecognition: 'ai.duration',
  AIReview: 'ai.duration',
  Snapshot: 'snapshot.count',
  ImageProcess: 'image.count',
  AnimatedGraphics: 'mps.animated_graphics.duration',
  AiQualityControl: 'mps.ai_quality_control.usage',
  Evaluation: 'mps.evaluation.usage',
  AddBlindWatermark: 'mps.add_blind_watermark.usage',
  AddNagraWatermark: 'mps.add_nagra_watermark.usage',
  ExtractBlindWatermark: 'mps.extract_blind_watermark.usage',
  AIGCVideo: 'mps.aigc_video.usage',
  AIGCImage: 'mps.aigc_image.usage'
}

/** Unknown TaskTypes (the enum is evolving: doc pages list a single `AIGC`) are kept, never dropped or guessed. */
export const OTHER_USAGE_METRIC = 'mps.other.usage'
export const TASKS_METRIC = 'tasks.count'

/** The metrics a call asking for these TaskTypes reports: their Usage metrics and the task count. */
export function metricsOfTaskTypes (taskTypes: readonly string[]): string[] {
  return [...new Set(taskTypes.map(usageMetricOf)), TASKS_METRIC]
}

export function usageMetricOf (taskType: string): string {
  return Object.hasOwn(USAGE_METRIC_BY_TASK_TYPE, taskType) ? USAGE_METRIC_BY_TASK_TYPE[taskType]! : OTHER_USAGE_METRIC
}

const RECORD_DIMENSIONS: readonly Dimension[] = ['service', 'task', 'region', 'spec']

const ABSENCES = 'Count and Usage are required, and a non-empty Data must answer for every TaskType asked (only Data null or [] ' +
  'reads as no usage); otherwise, or for a day or TaskType listed twice, the answer is refused (UPSTREAM_MALFORMED). ' +
  'A day absent from a listed Summary reads 0. Only the source\'s regions are asked for.'

function mapping (metric: string, taskTypes: readonly string[], conversion: string): MetricMapping {
  const fields = taskTypes.length === 0 ? ['Summary[].Usage / Details[].Data[].Usage (TaskType not listed here)'] : taskTypes.map(type => `Summary[].Usage / Details[].Data[].Usage (TaskType=${type})`)
  const asked = taskTypes.length === 0 ? 'a task filter naming a TaskType this service does not know' : `${taskTypes.join(' or ')} among its taskTypes (or in the query's task filter)`
  const coverage = `Fed only by a source that asks for ${asked}; a source that does not ask does not feed this metric at all ` +
    `(the series is left out, or null when no source feeds it), never 0. ${ABSENCES}`
  return { metric, providerFields: fields, dimensions: RECORD_DIMENSIONS, conversion, coverage }
}

function typesOf (metric: string): string[] {
  return Object.entries(USAGE_METRIC_BY_TASK_TYPE).filter(([, name]) => name === metric).map(([type]) => type)
}

const UNIT_NOTE: Readonly<Record<string, string>> = {
  'transcode.duration': 'seconds, as reported',
  'enhance.duration': 'seconds, as reported',
  'ai.duration': 'seconds, as reported',
  'snapshot.count': 'images, as reported',
  'image.count': 'images, as reported',
  'mps.animated_graphics.duration': 'seconds, as reported'
}

export const MPS_METRIC_MAPPINGS: readonly MetricMapping[] = [
  ...[...new Set(Object.values(USAGE_METRIC_BY_TASK_TYPE))].map(metric =>
    mapping(metric, typesOf(metric), UNIT_NOTE[metric] ?? 'none: passed through in the provider\'s undocumented unit')),
  mapping(OTHER_USAGE_METRIC, [], 'none: passed through in the provider\'s unit'),
  {
    metric: TASKS_METRIC,
    providerFields: ['Summary[].Count / Details[].Data[].Count (every TaskType)'],
    dimensions: RECORD_DIMENSIONS,
    conversion: 'tasks, as reported',
    coverage: `Counts the tasks of the TaskTypes the source asks for (its taskTypes, or the query's task filter) only; group by task to see which. ${ABSENCES}`
  }
]
