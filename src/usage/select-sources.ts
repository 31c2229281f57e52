/** Pure: which configured sources a query selects, and why the others are left out. */
import type { Dimension } from './source-adapter.js'
import type { RuntimeSource } from './source-executor.js'
import type { Filters, UsageWarning } from './usage-query.js'

/** Dimensions every source answers for by its identity, not through its API. */
export const IDENTITY_DIMENSIONS: readonly Dimension[] = ['provider', 'source']

export interface SelectedSource {
  runtime: RuntimeSource
  /** The metrics of this source the query asks for. */
  metrics: ReadonlySet<string>
}

export function selectSources (
  sources: readonly RuntimeSource[],
  filters: Filters,
  metrics: readonly string[] | null
): { selected: SelectedSource[], warnings: UsageWarning[] } {
  const selected: SelectedSource[] = []
  const warnings: UsageWarning[] = []
  for (const runtime of sources) {
    const { config, adapter } = runtime
    if (!matches(filters.provider, adapter.provider) || !matches(filters.source, config.id)) continue
    // What this source asks its provider about, not everything its kind can report: a metric of a task type it never
    // asked for would otherwise read 0, final.
    const kindMetrics = adapter.metricsFor?.(config.settings, filters) ?? adapter.metrics.map(mapping => mapping.metric)
    const wanted = new Set(metrics === null ? kindMetrics : kindMetrics.filter(metric => metrics.includes(metric)))
    if (wanted.size === 0) continue
    const unsupported = (Object.keys(filters) as Dimension[])
      .filter(name => !IDENTITY_DIMENSIONS.includes(name) && !adapter.filterDimensions.includes(name))
    if (unsupported.length > 0) {
      warnings.push({
        type: 'filter_unsupported',
        source: config.id,
        message: `source '${config.id}' (${adapter.kind}) cannot filter by ${unsupported.join(', ')}, so it is left out of this answer`
      })
      continue
    }
    selected.push({ runtime, metrics: wanted })
  }
  return { selected, warnings }
}

function matches (wanted: readonly string[] | undefined, value: string): boolean {
  return wanted === undefined || wanted.includes(value)
}
