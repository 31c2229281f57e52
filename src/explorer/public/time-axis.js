/**
 * The time axis: ticks on bucket starts only (never between two buckets), labelled in the answer's zone and at its
 * granularity, every n-th bucket for n from a list of round steps, so the labels never overlap.
 */

const STEPS = {
  hour: [1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 720, 1440],
  day: [1, 2, 7, 14, 28, 56, 91, 182, 364, 728],
  month: [1, 2, 3, 6, 12, 24, 60, 120]
}
const LABEL_WIDTH = { hour: 56, day: 56, month: 72 }

function formatters (zone) {
  const make = options => new Intl.DateTimeFormat('en-US', { timeZone: zone, ...options })
  return {
    time: make({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    day: make({ month: 'short', day: 'numeric' }),
    month: make({ month: 'short' }),
    year: make({ year: 'numeric' })
  }
}

/** uPlot axis options for x values (epoch seconds of bucket starts) of an answer. */
export function timeAxis (xs, granularity, zone) {
  const format = formatters(zone)
  const steps = STEPS[granularity] ?? STEPS.day
  return {
    stroke: '#333',
    grid: { stroke: '#e6e6e6' },
    size: granularity === 'month' ? 42 : 48,
    splits: plot => {
      const room = plot.bbox.width / (window.devicePixelRatio || 1)
      const needed = Math.max(1, Math.ceil(xs.length * LABEL_WIDTH[granularity] / Math.max(room, 1)))
      const step = steps.find(candidate => candidate >= needed) ?? needed
      return xs.filter((_, index) => index % step === 0)
    },
    values: (_plot, splits) => splits.map((seconds, index) => {
      const date = new Date(seconds * 1000)
      const previous = index > 0 ? new Date(splits[index - 1] * 1000) : null
      const newYear = previous === null || format.year.format(previous) !== format.year.format(date)
      if (granularity === 'hour') {
        const newDay = previous === null || format.day.format(previous) !== format.day.format(date)
        return newDay ? `${format.time.format(date)}\n${format.day.format(date)}` : format.time.format(date)
      }
      if (granularity === 'month') return newYear ? `${format.month.format(date)}\n${format.year.format(date)}` : format.month.format(date)
      return newYear ? `${format.day.format(date)}\n${format.year.format(date)}` : format.day.format(date)
    })
  }
}

/** The x range with half a bucket either side, so the first and last bars are whole. */
export function paddedRange (xs) {
  return (_plot, min, max) => {
    const half = xs.length > 1 ? (xs[1] - xs[0]) / 2 : 1800
    return [min - half, max + half]
  }
}
