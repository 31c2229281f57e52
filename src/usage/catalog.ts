/**
 * The catalog: every metric and dimension the registered adapters report, built once at startup from their
 * declarations and handed to whatever needs it (query validation, units of an answer, GET /usage/catalog).
 * Building it checks the declarations, so a kind that reports an undeclared metric or dimension, or redefines a
 * metric's unit, stops the service at boot instead of answering wrong.
 */
import {
  CANONICAL_METRICS, DIMENSIONS, SPECIFICATION_VERSION,
  type Dimension, type MetricDefinition, type SourceAdapter
} from './source-adapter.js'

export interface DimensionDefinition {
  name: Dimension
  description: string
}

export interface Catalog {
  /** Registered adapters, in registration order. */
  adapters: ReadonlyArray<SourceAdapter<any>>
  /** Canonical metrics, then the adapters' own, in registration order. */
  metrics: readonly MetricDefinition[]
  dimensions: readonly DimensionDefinition[]
  findMetric(name: string): MetricDefinition | undefined
}

/** What each dimension means whichever kind reports it; adapters add what its values are for them. */
const DIMENSION_MEANINGS: Record<Dimension, string> = {
  provider: 'Cloud provider',
  source: 'Configured source id (one account at one API)',
  account: 'Provider account id of the source, as configured (null for a source configured without one)',
  service: 'Provider service that produced the usage',
  region: 'Provider region of the resource or processing',
  domain: 'Streaming domain',
  instance: 'Provider instance id',
  app: 'Application name or id',
  area: 'Billing area',
  type: 'Product type',
  mode: 'vod or live',
  tier: 'Definition tier: ld, sd, hd, ...',
  spec: 'Provider specification of the processing',
  task: 'Provider task type',
  mediaType: 'audio or video',
  mediaProfile: 'Media profile'
}

export function buildCatalog (adapters: ReadonlyArray<SourceAdapter<any>>): Catalog {
  const metricsByName = new Map<string, MetricDefinition>(CANONICAL_METRICS.map(metric => [metric.name, metric]))
  const kinds = new Set<string>()
  for (const adapter of adapters) {
    if (adapter.specificationVersion !== SPECIFICATION_VERSION) {
      throw new Error(`adapter ${adapter.kind} is written for specification ${String(adapter.specificationVersion)}, not ${SPECIFICATION_VERSION}`)
    }
    if (kinds.has(adapter.kind)) throw new Error(`two adapters are registered for kind ${adapter.kind}`)
    kinds.add(adapter.kind)
    checkDeclarations(adapter)
    for (const metric of adapter.extraMetrics ?? []) {
      const existing = metricsByName.get(metric.name)
      if (existing && existing.unit !== metric.unit) {
        throw new Error(`${adapter.kind} declares metric ${metric.name} in ${metric.unit}, but it is counted in ${existing.unit}`)
      }
      if (!existing) metricsByName.set(metric.name, metric)
    }
  }
  const metrics = [...metricsByName.values()]
  return {
    adapters,
    metrics,
    dimensions: DIMENSIONS.map(name => ({ name, description: describeDimension(name, adapters) })),
    findMetric: name => metricsByName.get(name)
  }
}

/** Every metric and dimension an adapter reports is one it declared: the catalog shows nothing else. */
function checkDeclarations (adapter: SourceAdapter<any>): void {
  const declared = new Set<string>(adapter.dimensions)
  for (const mapping of adapter.metrics) {
    const own = adapter.extraMetrics?.some(metric => metric.name === mapping.metric) ?? false
    if (!own && !CANONICAL_METRICS.some(metric => metric.name === mapping.metric)) {
      throw new Error(`${adapter.kind} reports metric ${mapping.metric}, which is neither canonical nor among its extraMetrics`)
    }
    for (const dimension of mapping.dimensions) {
      if (!declared.has(dimension)) throw new Error(`${adapter.kind} reports dimension ${dimension} for ${mapping.metric} without declaring it`)
    }
  }
  for (const dimension of adapter.filterDimensions) {
    if (!declared.has(dimension)) throw new Error(`${adapter.kind} filters by dimension ${dimension} without declaring it`)
  }
}

/** The dimension's meaning, then, per kind that reports it, what its values are. */
function describeDimension (name: Dimension, adapters: ReadonlyArray<SourceAdapter<any>>): string {
  if (name === 'provider') return `${DIMENSION_MEANINGS.provider}: ${[...new Set(adapters.map(adapter => adapter.provider))].join(' or ')}.`
  const values = adapters.flatMap(adapter => {
    const note = adapter.dimensionValues?.[name]
    return note === undefined ? [] : [`${adapter.kind}: ${note}`]
  })
  return values.length === 0 ? `${DIMENSION_MEANINGS[name]}.` : `${DIMENSION_MEANINGS[name]} (${values.join('; ')}).`
}
