/** Pure: which configured sources a query selects, and why the others are left out. */
import type { Dimension } from './source-adapter.js'
import type { RuntimeSource } from './source-executor.js'
import type { Filters, UsageWarning } from './usage-query.js'

/** Dimensions every source answers for by its identity, not through its API. */
export const IDENTITY_DIMENSIONS: readonly Dimension[] = ['provider', 'source', 'account']

/** A source's identity dimensions; `account` only when configured, so its usage reads null there, never a guess. */
export function sourceIdentity (runtime: Pick<RuntimeSource, 'config' | 'adapter'>): Record<string, string> {
  const identity: Record<string, string> = { provider: runtime.adapter.provider, source: runtime.config.id }
  if (runtime.config.account !== undefined) identity.account = runtime.config.account
  return identity
}

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
    const identity = sourceIdentity(runtime)
    if (!matches(filters.provider, identity.provider) || !matches(filters.source, identity.source) || !matches(filters.account, identity.account)) continue
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

/** A source without a value (no account configured) matches no filter on that dimension. */
function matches (wanted: readonly string[] | undefined, value: string | undefined): boolean {
  return wanted === undefined || (value !== undefined && wanted.includes(value))
}
