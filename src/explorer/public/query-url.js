/**
 * The query on screen as the page URL holds it: the same parameter names as GET /usage (so the download links
 * are the page's own query string plus format), and `chart` for the page's own choice of drawing.
 */

export const DEFAULT_RANGE = { from: 'now-7d/d', to: 'now/d' }
export const CHART_KINDS = ['bars', 'lines']
const QUERY_PARAMETERS = ['from', 'to', 'granularity', 'tz', 'metrics', 'groupBy']
const PAGE_PARAMETERS = ['chart']

const listOf = value => (value ?? '').split(',').map(item => item.trim()).filter(item => item !== '')

/** defaults: { tz, granularity } of the deployment. Anything else in the URL is read as a filter. */
export function queryFromSearch (search, defaults) {
  const parameters = new URLSearchParams(search)
  const filters = {}
  for (const [name, value] of parameters) {
    if (QUERY_PARAMETERS.includes(name) || PAGE_PARAMETERS.includes(name) || name === 'format') continue
    const values = listOf(value)
    if (values.length > 0) filters[name] = values
  }
  const chart = parameters.get('chart')
  return {
    from: parameters.get('from') || DEFAULT_RANGE.from,
    to: parameters.get('to') || DEFAULT_RANGE.to,
    granularity: parameters.get('granularity') || defaults.granularity,
    tz: parameters.get('tz') || defaults.tz,
    metrics: listOf(parameters.get('metrics')),
    groupBy: listOf(parameters.get('groupBy')),
    filters,
    chart: CHART_KINDS.includes(chart) ? chart : 'bars'
  }
}

/** The GET /usage parameters of a query, in a stable order. */
export function usageParameters (query) {
  const parameters = new URLSearchParams()
  parameters.set('from', query.from)
  parameters.set('to', query.to)
  parameters.set('granularity', query.granularity)
  parameters.set('tz', query.tz)
  if (query.metrics.length > 0) parameters.set('metrics', query.metrics.join(','))
  if (query.groupBy.length > 0) parameters.set('groupBy', query.groupBy.join(','))
  for (const name of Object.keys(query.filters).sort()) {
    if (query.filters[name].length > 0) parameters.set(name, query.filters[name].join(','))
  }
  return parameters
}

/** The page URL's query string: the usage parameters and the page's chart choice. */
export function pageSearch (query) {
  const parameters = usageParameters(query)
  parameters.set('chart', query.chart)
  return `?${parameters}`
}

/** GET /usage for this query, in a format (json when none). */
export function usagePath (query, format) {
  const parameters = usageParameters(query)
  if (format !== undefined) parameters.set('format', format)
  return `/usage?${parameters}`
}
