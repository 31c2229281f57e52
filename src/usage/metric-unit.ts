import { CANONICAL_METRICS, type SourceAdapter } from './source-adapter.js'

/**
 * The unit the ledger stores with each record of an adapter's metric: its own extra metric's, else the
 * canonical one's. A metric declared nowhere is refused: the ledger never stores a value whose unit it guessed.
 */
export function metricUnitOf (adapter: Pick<SourceAdapter<unknown>, 'kind' | 'extraMetrics'>): (metric: string) => string {
  const units = new Map<string, string>(CANONICAL_METRICS.map(metric => [metric.name, metric.unit]))
  for (const metric of adapter.extraMetrics ?? []) units.set(metric.name, metric.unit)
  return metric => {
    const unit = units.get(metric)
    if (unit === undefined) throw new Error(`${adapter.kind} answered metric ${metric}, which has no declared unit`)
    return unit
  }
}
