/**
 * One chart per unit (durations, counts), drawn with uPlot: stacked bars or lines, one series per answer series,
 * buckets on a time axis in the query's zone. A null value stays null in the chart data, so it is a gap — never
 * drawn as 0 — and the bucket is marked (bucket-marks.js).
 */
import uPlot from './vendor/uPlot.esm.js'
import { drawBarSeries, NO_PATHS } from './bar-series.js'
import { bucketStates, countStates, drawBucketMarks } from './bucket-marks.js'
import { clear, element } from './dom.js'
import { paddedRange, timeAxis } from './time-axis.js'
import { displayScale, formatValue, UNIT_TITLES } from './units.js'

/** Okabe–Ito first (told apart with colour-blindness), then darker tones; cycled past the end. */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#7a6a00', '#332288', '#117733', '#882255', '#44aa99', '#999933']

let charts = []

export function seriesLabel (series) {
  const dimensions = Object.entries(series.dimensions).map(([name, value]) => `${name}=${value ?? '(none)'}`)
  return dimensions.length === 0 ? series.metric : `${series.metric} · ${dimensions.join(', ')}`
}

function groupByUnit (answer) {
  const groups = new Map()
  for (const series of answer.series) {
    if (!groups.has(series.unit)) groups.set(series.unit, [])
    groups.get(series.unit).push(series)
  }
  return groups
}

/** Values in the display scale; for bars, each series' top edge on the stack (a null adds nothing and stays a gap). */
function chartValues (seriesList, divisor, stacked) {
  const running = new Array(seriesList[0].points.length).fill(0)
  return seriesList.map(series => series.points.map((point, index) => {
    if (point.value === null) return null
    if (!stacked) return point.value / divisor
    running[index] += point.value
    return running[index] / divisor
  }))
}

export function destroyCharts () {
  for (const chart of charts) chart.plot.destroy()
  charts = []
}

/** Draws every unit's chart of the answer into container; returns what was drawn, for the page's own checks. */
export function renderCharts (container, answer, { kind, tooltip }) {
  destroyCharts()
  clear(container)
  if (answer.series.length === 0) {
    container.append(element('p', { class: 'help' }, 'No series: nothing matched this query.'))
    return []
  }
  const stacked = kind === 'bars'
  for (const [unit, seriesList] of groupByUnit(answer)) {
    const largest = Math.max(0, ...seriesList.flatMap(series => series.points.map(point => Math.abs(point.value ?? 0))))
    const stackedLargest = stacked ? Math.max(0, ...seriesList[0].points.map((_, index) => seriesList.reduce((sum, series) => sum + Math.abs(series.points[index].value ?? 0), 0))) : largest
    const scale = displayScale(unit, stackedLargest)
    const states = bucketStates(seriesList)
    const counts = countStates(states)
    const xs = seriesList[0].points.map(point => Date.parse(point.start) / 1000)
    const values = chartValues(seriesList, scale.divisor, stacked)
    // Stacked bars are drawn from zero up to each series' top edge, tallest first, so each lower series paints over
    // the part of the taller ones beneath it.
    const order = stacked ? seriesList.map((_, index) => seriesList.length - 1 - index) : seriesList.map((_, index) => index)
    const title = `${UNIT_TITLES[unit] ?? unit} (${scale.label})`
    const figure = element('figure', {
      class: 'chart',
      tabindex: 0,
      'aria-label': `${title} chart, ${seriesList.length} series over ${xs.length} buckets. Use the left and right arrow keys to read bucket values.`,
      dataset: { unit, series: String(seriesList.length), buckets: String(xs.length), incompleteBuckets: String(counts.incomplete), provisionalBuckets: String(counts.provisional), missingBuckets: String(counts.missing) }
    })
    const caption = element('figcaption', {},
      element('strong', {}, title),
      ' ',
      element('span', { class: 'chart-states' }, stateSummary(counts))
    )
    figure.append(caption)
    container.append(figure)
    const width = Math.max(280, figure.clientWidth - 2)
    const options = {
      width,
      height: Math.min(360, Math.max(220, Math.round(width * 0.45))),
      tzDate: seconds => uPlot.tzDate(new Date(seconds * 1000), answer.tz),
      cursor: { points: { show: !stacked }, drag: { x: false, y: false } },
      legend: { live: false },
      scales: { x: { time: true, range: paddedRange(xs) }, y: { range: (_plot, min, max) => [Math.min(0, min), max > 0 ? max * 1.08 : 1] } },
      axes: [
        timeAxis(xs, answer.granularity, answer.tz),
        {
          stroke: '#333',
          grid: { stroke: '#e6e6e6' },
          values: (_plot, ticks) => ticks.map(scale.tick),
          // As wide as its longest label: "17,500 h" must not be cut.
          size: (_plot, values) => values === null || values === undefined ? 50 : 16 + 7.5 * Math.max(1, ...values.map(value => String(value).length))
        }
      ],
      series: [
        {},
        ...order.map(index => {
          const color = PALETTE[index % PALETTE.length]
          return {
            label: seriesLabel(seriesList[index]),
            stroke: color,
            fill: stacked ? color : undefined,
            // A thinner line where points crowd: a software-rendered canvas strokes 1 px lines several times faster.
            width: stacked ? 0 : xs.length > 300 ? 1 : 2,
            spanGaps: false,
            paths: stacked ? NO_PATHS : undefined,
            points: { show: !stacked && xs.length <= 200, size: 5 }
          }
        })
      ],
      hooks: {
        drawSeries: stacked ? [drawBarSeries(order.map(index => PALETTE[index % PALETTE.length]))] : [],
        draw: [drawBucketMarks(states)],
        setCursor: [plot => showTooltip(plot, tooltip, { seriesList, answer, unit })]
      }
    }
    const data = [xs, ...order.map(index => values[index])]
    const plot = new uPlot(options, data, figure) // eslint-disable-line new-cap -- uPlot's own name for its class
    plot.over.addEventListener('mouseleave', () => { tooltip.hidden = true })
    figure.addEventListener('keydown', event => moveCursorByKey(event, plot, xs))
    figure.addEventListener('blur', () => { tooltip.hidden = true })
    figure.append(element('p', { class: 'visually-hidden' }, 'Exact values are in the totals table and the downloads.'))
    charts.push({ plot, figure, unit })
  }
  return charts
}

function stateSummary (counts) {
  const parts = []
  if (counts.incomplete > 0) parts.push(`${counts.incomplete} incomplete`)
  if (counts.provisional > 0) parts.push(`${counts.provisional} provisional`)
  if (counts.missing > 0) parts.push(`${counts.missing} without a value`)
  return parts.length === 0 ? 'every bucket final' : `buckets: ${parts.join(', ')}`
}

/** Arrow keys walk the buckets, so the values can be read without a mouse. */
function moveCursorByKey (event, plot, xs) {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return
  event.preventDefault()
  const current = plot.cursor.idx ?? -1
  const next = event.key === 'Home'
    ? 0
    : event.key === 'End'
      ? xs.length - 1
      : Math.min(xs.length - 1, Math.max(0, current + (event.key === 'ArrowRight' ? 1 : -1)))
  plot.setCursor({ left: plot.valToPos(xs[next], 'x'), top: plot.bbox.height / (window.devicePixelRatio || 1) / 2 })
}

function showTooltip (plot, tooltip, { seriesList, answer, unit }) {
  const index = plot.cursor.idx
  if (index === null || index === undefined || plot.cursor.left < 0) {
    tooltip.hidden = true
    return
  }
  const first = seriesList[0].points[index]
  const lines = seriesList.map((series, position) => {
    const point = series.points[index]
    const state = point.state === 'final' ? '' : ` · ${point.state}`
    return element('div', { class: 'tooltip-row' },
      element('i', { class: 'swatch', style: `background:${PALETTE[position % PALETTE.length]}` }),
      `${seriesLabel(series)}: `,
      element('strong', {}, formatValue(point.value, unit)),
      state)
  })
  tooltip.replaceChildren(element('div', { class: 'tooltip-title' }, `${first.start} → ${first.end} (${answer.tz})`), ...lines)
  tooltip.hidden = false
  const box = plot.over.getBoundingClientRect()
  const left = Math.min(window.innerWidth - tooltip.offsetWidth - 8, box.left + plot.cursor.left + 14)
  tooltip.style.left = `${Math.max(4, left + window.scrollX)}px`
  tooltip.style.top = `${box.top + window.scrollY + Math.max(0, plot.cursor.top) + 14}px`
}
