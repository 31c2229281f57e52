/**
 * The usage explorer: reads the catalog, keeps the query in the page URL (shareable, back/forward), runs it
 * against GET /usage with progress, cancel and elapsed time, and shows the answer's charts and panels.
 * Progress is also published on <html data-state> and window.usageExplorer, which the browser tests read.
 */
import { ApiError, getJson } from './api-client.js'
import { forgetApiKey, storeApiKey, storedApiKey } from './api-key.js'
import { renderBadges, renderSources, renderTotals, renderWarnings } from './answer-panels.js'
import { destroyCharts, renderCharts } from './charts.js'
import { byId, element } from './dom.js'
import { renderDownloads } from './downloads.js'
import { buildForm, fillForm, readForm } from './query-form.js'
import { pageSearch, queryFromSearch, usagePath } from './query-url.js'

const defaultsMeta = document.querySelector('meta[name=usage-defaults]')
const DEFAULTS = { tz: defaultsMeta?.dataset.tz || 'UTC', granularity: defaultsMeta?.dataset.granularity || 'day' }
const explorer = { timings: {}, interactiveMs: null, answer: null }
window.usageExplorer = explorer

let running = null
let lastAnswer = null

function setState (state) {
  document.documentElement.dataset.state = state
}

function status (text) {
  byId('status').textContent = text
}

function formatSeconds (milliseconds) {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`
}

/** Asks for a key; resolves once one is stored. */
function askForKey (reason) {
  const panel = byId('key-panel')
  panel.hidden = false
  byId('key-reason').textContent = reason
  const input = byId('api-key')
  input.value = ''
  input.focus()
  setState('needs-key')
  return new Promise(resolve => {
    byId('key-form').addEventListener('submit', event => {
      event.preventDefault()
      storeApiKey(input.value.trim())
      panel.hidden = true
      byId('forget-key').hidden = false
      resolve()
    }, { once: true })
  })
}

const KEY_NEEDED = 'This service asks for an API key. It is kept in this browser tab only (session storage) and sent as Authorization: Bearer.'
const KEY_REFUSED = 'That API key was not accepted. Enter another one; it is kept in this browser tab only.'

/** Runs an API call, asking for a key (again) while the service answers 401. */
async function withKey (call) {
  for (;;) {
    try {
      return await call()
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error
      const hadKey = storedApiKey() !== null
      if (hadKey) forgetApiKey()
      await askForKey(hadKey ? KEY_REFUSED : KEY_NEEDED)
    }
  }
}

function showError (error) {
  const box = byId('error')
  box.hidden = false
  // UNALIGNED_QUERY names, per source, the zones that would work: each one is a click away, as in the warnings.
  const details = Array.isArray(error.details)
    ? error.details.map(detail => element('li', {},
      detail.parameter ? `${detail.parameter}: ${detail.message ?? ''}` : (detail.message ?? JSON.stringify(detail)),
      ...(detail.suggestedZones ?? []).map(zone => element('button', { type: 'button', class: 'zone-fix', dataset: { zone }, onclick: () => runWith({ ...readForm(), tz: zone }) }, `Use ${zone}`))))
    : []
  box.replaceChildren(
    element('p', {}, element('strong', {}, error.code ?? 'Error'), ` ${error.message}`),
    details.length > 0 ? element('ul', {}, ...details) : null,
    error.requestId ? element('p', { class: 'help' }, `Request id ${error.requestId}`) : null)
}

function hideError () {
  byId('error').hidden = true
}

/** Whether the deployment keeps a usage ledger (from the catalog): the sources panel then shows ledger buckets. */
let ledgerKept = false

function render (answer, query) {
  byId('answer').hidden = false
  renderBadges(answer, { complete: byId('badge-complete'), final: byId('badge-final') })
  byId('effective-range').textContent = `${answer.from} → ${answer.to}, ${answer.granularity} buckets in ${answer.tz}`
  renderWarnings(byId('warnings'), byId('warnings-section'), answer, zone => runWith({ ...readForm(), tz: zone }))
  // What each chart was given to draw, by series label: the tests check a null stayed null (a gap) there.
  explorer.drawn = renderCharts(byId('charts'), answer, { kind: query.chart, tooltip: byId('tooltip') })
    .map(({ plot, unit }) => ({ unit, series: plot.series.slice(1).map((series, index) => ({ label: series.label, values: plot.data[index + 1] })) }))
  renderTotals(byId('totals'), answer)
  renderSources(byId('sources'), answer, { ledgerKept })
  renderDownloads(byId('downloads'), query, showError)
}

async function run (query) {
  running?.controller.abort()
  const controller = new AbortController()
  const started = performance.now()
  const ticker = setInterval(() => { byId('elapsed-live').textContent = `waiting ${formatSeconds(performance.now() - started)}` }, 100)
  running = { controller }
  setState('loading')
  hideError()
  byId('progress').hidden = false
  byId('elapsed-live').textContent = 'waiting'
  byId('cancel').disabled = false
  byId('results').setAttribute('aria-busy', 'true')
  status('Running the query…')
  try {
    const answer = await withKey(() => getJson(usagePath(query), { signal: controller.signal }))
    const fetchMs = performance.now() - started
    lastAnswer = { answer, query }
    explorer.answer = answer
    const renderStarted = performance.now()
    render(answer, query)
    // uPlot paints its canvases in a microtask after it is built: the next task starts once they are drawn.
    await new Promise(resolve => setTimeout(resolve, 0))
    const renderMs = performance.now() - renderStarted
    explorer.timings = { fetchMs, renderMs, points: answer.series.reduce((sum, series) => sum + series.points.length, 0) }
    byId('elapsed').textContent = `answered in ${formatSeconds(fetchMs)}, drawn in ${formatSeconds(renderMs)}`
    status(`Answered in ${formatSeconds(fetchMs)}: ${answer.series.length} series, ${answer.complete ? 'complete' : 'incomplete'}.`)
    setState('done')
  } catch (error) {
    if (error.name === 'AbortError') {
      status(`Cancelled after ${formatSeconds(performance.now() - started)}.`)
      if (running?.controller === controller) setState('cancelled')
      return
    }
    showError(error instanceof ApiError ? error : { code: 'NETWORK', message: `the service could not be reached: ${error.message}` })
    status(`The query failed after ${formatSeconds(performance.now() - started)}.`)
    byId('answer').hidden = true
    destroyCharts()
    setState('error')
  } finally {
    clearInterval(ticker)
    if (running?.controller === controller) {
      running = null
      byId('progress').hidden = true
      byId('cancel').disabled = true
      byId('results').setAttribute('aria-busy', 'false')
    }
  }
}

/** A new query from the page: a new history entry, so back returns to the previous one. */
function runWith (query) {
  fillForm(query)
  const search = pageSearch(query)
  if (search !== location.search) history.pushState(null, '', search)
  return run(query)
}

function queryFromUrl () {
  return queryFromSearch(location.search, DEFAULTS)
}

async function start () {
  setState('starting')
  byId('forget-key').hidden = storedApiKey() === null
  byId('forget-key').addEventListener('click', () => {
    forgetApiKey()
    location.reload()
  })
  let catalog
  try {
    catalog = await withKey(() => getJson('/usage/catalog'))
  } catch (error) {
    showError(error instanceof ApiError ? error : { code: 'NETWORK', message: `the catalog could not be read: ${error.message}` })
    setState('error')
    return
  }
  byId('forget-key').hidden = storedApiKey() === null
  ledgerKept = catalog.ledger !== undefined && catalog.ledger.status !== 'off'
  buildForm(catalog, { onQuickRange: (from, to) => runWith({ ...readForm(), from, to }) })
  byId('query-form').addEventListener('submit', event => {
    event.preventDefault()
    runWith(readForm())
  })
  byId('cancel').addEventListener('click', () => running?.controller.abort())
  byId('chart-kind').addEventListener('change', () => {
    const query = readForm()
    history.replaceState(null, '', pageSearch({ ...(lastAnswer?.query ?? query), chart: query.chart }))
    if (lastAnswer !== null) {
      lastAnswer = { ...lastAnswer, query: { ...lastAnswer.query, chart: query.chart } }
      render(lastAnswer.answer, lastAnswer.query)
    }
  })
  window.addEventListener('popstate', () => {
    const query = queryFromUrl()
    fillForm(query)
    run(query)
  })
  let resizeTimer
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer)
    resizeTimer = setTimeout(() => { if (lastAnswer !== null) render(lastAnswer.answer, lastAnswer.query) }, 150)
  })
  const query = queryFromUrl()
  fillForm(query)
  history.replaceState(null, '', pageSearch(query))
  explorer.interactiveMs = performance.now()
  await run(query)
}

start()
