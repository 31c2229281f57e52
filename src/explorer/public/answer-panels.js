/** Beside the chart: badges, warnings in plain words, totals, and what each source did. */
import { clear, element } from './dom.js'
import { seriesLabel } from './charts.js'
import { formatValue } from './units.js'

export function renderBadges (answer, { complete, final }) {
  complete.textContent = answer.complete ? 'complete' : 'incomplete'
  complete.className = `badge ${answer.complete ? 'badge-ok' : 'badge-bad'}`
  complete.title = answer.complete
    ? 'Every source answered and every bucket is final or provisional.'
    : 'A source failed, was left out or is out of range: some numbers are missing.'
  final.textContent = answer.final ? 'final' : 'not final'
  final.className = `badge ${answer.final ? 'badge-ok' : 'badge-neutral'}`
  final.title = answer.final
    ? 'Every number is settled and will not change: safe to invoice.'
    : 'Some numbers may still change (provisional) or are missing.'
}

const WARNING_WORDS = {
  unaligned: source => `Source ${source} cannot fill these buckets exactly in this time zone and granularity, so its usage is left out.`,
  out_of_range: source => `Part of the range is older than source ${source} keeps: that part is missing, not zero.`,
  source_failed: source => `Source ${source} did not answer for all of the range: its part is missing.`,
  deadline_exceeded: () => 'The answer took longer than the deadline: what was obtained is shown, the rest is missing.',
  filter_unsupported: source => `Source ${source} cannot apply a filter of this query, so it is left out.`,
  group_unsupported: source => `Source ${source} cannot split its usage by a dimension of this query.`,
  metric_unavailable: source => `Source ${source} does not report a metric of this query.`
}

/** onZone(zone) runs the same query in that zone: the one-click fix of an unaligned source. */
export function renderWarnings (list, section, answer, onZone) {
  clear(list)
  section.hidden = answer.warnings.length === 0
  for (const warning of answer.warnings) {
    const words = WARNING_WORDS[warning.type]?.(warning.source ?? 'a source') ?? warning.message
    const fixes = (warning.suggestedZones ?? []).map(zone => element('button', {
      type: 'button',
      class: 'zone-fix',
      dataset: { zone },
      onclick: () => onZone(zone)
    }, `Use ${zone}`))
    list.append(element('li', { class: 'warning', dataset: { type: warning.type, source: warning.source ?? '' } },
      element('p', { class: 'warning-words' }, words),
      element('p', { class: 'warning-detail' }, warning.message),
      fixes.length > 0 ? element('p', { class: 'zone-fixes' }, 'Time zones that work: ', ...fixes) : null))
  }
}

export function renderTotals (table, answer) {
  clear(table)
  table.append(
    element('caption', { class: 'visually-hidden' }, 'Total of each series over the range'),
    element('thead', {}, element('tr', {},
      element('th', { scope: 'col' }, 'Series'),
      element('th', { scope: 'col' }, 'Unit'),
      element('th', { scope: 'col', class: 'number' }, 'Total'))))
  const body = element('tbody')
  for (const series of answer.series) {
    const totalCell = series.total === null
      ? element('td', { class: 'number total-null', dataset: { total: 'null', partialTotal: String(series.partialTotal) } },
        element('span', { class: 'null-mark' }, 'null'),
        element('span', { class: 'partial' }, series.partialTotal === null
          ? ' — no bucket has a value'
          : ` — not every bucket is known; partial sum of what was obtained (partialTotal): ${formatValue(series.partialTotal, series.unit)}`))
      : element('td', { class: 'number', dataset: { total: String(series.total) } }, formatValue(series.total, series.unit))
    body.append(element('tr', {},
      element('th', { scope: 'row' }, seriesLabel(series)),
      element('td', {}, series.unit),
      totalCell))
  }
  table.append(body)
}

/** `ledgerKept`: the catalog says the deployment keeps a usage ledger (without one, every ledgerBuckets is 0 and says nothing). */
export function renderSources (table, answer, { ledgerKept = false } = {}) {
  clear(table)
  const showLedger = ledgerKept && answer.sources.some(source => Object.hasOwn(source, 'ledgerBuckets'))
  table.append(
    element('caption', { class: 'visually-hidden' }, 'What each selected source did for this answer'),
    element('thead', {}, element('tr', {},
      element('th', { scope: 'col' }, 'Source'),
      element('th', { scope: 'col' }, 'Status'),
      element('th', { scope: 'col', class: 'number' }, 'Calls'),
      showLedger ? element('th', { scope: 'col', class: 'number' }, 'Ledger buckets') : null,
      element('th', { scope: 'col' }, 'Simulated'),
      element('th', { scope: 'col' }, 'Error'))))
  const body = element('tbody')
  for (const source of answer.sources) {
    const error = source.error === null
      ? element('td', {}, '—')
      : element('td', { class: 'source-error' },
        element('code', {}, source.error.code),
        ` ${source.error.message}`,
        source.error.providerCode ? ` (provider: ${source.error.providerCode})` : '',
        source.error.requestId ? ` request ${source.error.requestId}` : '')
    body.append(element('tr', { dataset: { source: source.id, status: source.status } },
      element('th', { scope: 'row' }, source.id, element('div', { class: 'help' }, source.kind)),
      element('td', {}, element('span', { class: `badge status-${source.status}` }, source.status)),
      element('td', { class: 'number' }, String(source.calls), source.cachedCalls > 0 ? element('div', { class: 'help' }, `+${source.cachedCalls} cached`) : null),
      showLedger ? element('td', { class: 'number' }, String(source.ledgerBuckets ?? '—')) : null,
      element('td', {}, source.simulated ? 'simulated' : 'no'),
      error))
  }
  table.append(body)
}
