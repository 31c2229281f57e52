/** The query form: built from the catalog, filled from a query, read back into one. */
import { byId, clear, element } from './dom.js'
import { QUICK_RANGES } from './quick-ranges.js'

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

let dimensionNames = []

function zoneNames () {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...zones.filter(zone => zone !== 'UTC')]
}

/** onQuickRange(from, to) runs the query with that range. */
export function buildForm (catalog, { onQuickRange }) {
  const zones = byId('zones')
  clear(zones).append(...zoneNames().map(zone => element('option', { value: zone })))

  clear(byId('quick-ranges')).append(...QUICK_RANGES.map(range => element('button', {
    type: 'button',
    class: 'quick-range',
    onclick: () => onQuickRange(range.from, range.to)
  }, range.label)))

  clear(byId('metrics')).append(...catalog.metrics.map(metric => checkbox('metric', metric.name, `${metric.name}`, `${metric.unit}: ${metric.description}`)))
  dimensionNames = catalog.dimensions.map(dimension => dimension.name)
  clear(byId('group-by')).append(...catalog.dimensions.map(dimension => checkbox('group', dimension.name, dimension.name, dimension.description)))

  for (const [pickerId, textId] of [['from-date', 'from'], ['to-date', 'to']]) {
    byId(pickerId).addEventListener('change', event => {
      if (event.target.value !== '') byId(textId).value = event.target.value
    })
    byId(textId).addEventListener('input', event => syncPicker(pickerId, event.target.value))
  }
  byId('add-filter').addEventListener('click', () => {
    const row = filterRow('', [])
    byId('filter-rows').append(row)
    row.querySelector('select').focus()
  })
}

function checkbox (group, value, label, description) {
  const id = `${group}-${value.replace(/[^a-zA-Z0-9_-]/g, '_')}`
  return element('div', { class: 'checkbox' },
    element('input', { type: 'checkbox', id, name: group, value }),
    element('label', { for: id, title: description }, label))
}

let filterCount = 0
function filterRow (dimension, values) {
  filterCount += 1
  const selectId = `filter-dimension-${filterCount}`
  const valuesId = `filter-values-${filterCount}`
  const select = element('select', { id: selectId, class: 'filter-dimension' },
    ...dimensionNames.map(name => element('option', { value: name, selected: name === dimension }, name)))
  const row = element('div', { class: 'filter-row' },
    element('label', { for: selectId, class: 'visually-hidden' }, 'Filter dimension'),
    select,
    element('label', { for: valuesId, class: 'visually-hidden' }, 'Filter values, comma-separated'),
    element('input', { id: valuesId, class: 'filter-values', value: values.join(','), placeholder: 'values, comma-separated', spellcheck: 'false' }),
    element('button', { type: 'button', class: 'remove-filter', 'aria-label': 'Remove this filter', onclick: () => row.remove() }, '×'))
  return row
}

function syncPicker (pickerId, text) {
  byId(pickerId).value = DATE_ONLY.test(text) ? text : ''
}

export function fillForm (query) {
  byId('from').value = query.from
  byId('to').value = query.to
  syncPicker('from-date', query.from)
  syncPicker('to-date', query.to)
  byId('granularity').value = query.granularity
  byId('tz').value = query.tz
  byId('chart-kind').value = query.chart
  for (const box of document.querySelectorAll('input[name=metric]')) box.checked = query.metrics.includes(box.value)
  for (const box of document.querySelectorAll('input[name=group]')) box.checked = query.groupBy.includes(box.value)
  const rows = byId('filter-rows')
  clear(rows)
  for (const [dimension, values] of Object.entries(query.filters)) rows.append(filterRow(dimension, values))
}

export function readForm () {
  const filters = {}
  for (const row of document.querySelectorAll('.filter-row')) {
    const dimension = row.querySelector('.filter-dimension').value
    const values = row.querySelector('.filter-values').value.split(',').map(value => value.trim()).filter(value => value !== '')
    if (values.length > 0) filters[dimension] = [...new Set([...(filters[dimension] ?? []), ...values])]
  }
  return {
    from: byId('from').value.trim(),
    to: byId('to').value.trim(),
    granularity: byId('granularity').value,
    tz: byId('tz').value.trim(),
    metrics: [...document.querySelectorAll('input[name=metric]:checked')].map(box => box.value),
    groupBy: [...document.querySelectorAll('input[name=group]:checked')].map(box => box.value),
    filters,
    chart: byId('chart-kind').value
  }
}
