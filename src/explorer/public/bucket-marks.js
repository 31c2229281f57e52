/**
 * Bucket states drawn over a chart: provisional buckets striped (the numbers may still change), incomplete ones
 * outlined in red with a mark above (a source is missing), and buckets without a value marked at the base line,
 * so a gap is never read as a zero.
 */

export const STATE_COLORS = {
  provisional: 'rgba(90, 90, 90, 0.55)',
  incomplete: '#c0182b',
  none: '#555'
}

/** Per bucket of a chart: the worst state among its series, and whether any series has no value there. */
export function bucketStates (seriesList) {
  const count = seriesList[0]?.points.length ?? 0
  const states = []
  for (let index = 0; index < count; index++) {
    let state = 'final'
    let missing = false
    for (const series of seriesList) {
      const point = series.points[index]
      if (point.state === 'incomplete') state = 'incomplete'
      else if (point.state === 'provisional' && state === 'final') state = 'provisional'
      if (point.value === null) missing = true
    }
    states.push({ state, missing })
  }
  return states
}

export function countStates (states) {
  return {
    provisional: states.filter(entry => entry.state === 'provisional').length,
    incomplete: states.filter(entry => entry.state === 'incomplete').length,
    missing: states.filter(entry => entry.missing).length
  }
}

let stripes = null
function stripePattern (context) {
  if (stripes !== null) return stripes
  const tile = document.createElement('canvas')
  tile.width = 8
  tile.height = 8
  const pen = tile.getContext('2d')
  pen.strokeStyle = 'rgba(255, 255, 255, 0.75)'
  pen.lineWidth = 2.5
  pen.beginPath()
  pen.moveTo(0, 8)
  pen.lineTo(8, 0)
  pen.stroke()
  stripes = context.createPattern(tile, 'repeat')
  return stripes
}

/** A uPlot draw hook painting the states of `states` (one entry per x value) over the plot. */
export function drawBucketMarks (states) {
  return plot => {
    const context = plot.ctx
    const { left, top, width, height } = plot.bbox
    const xs = plot.data[0]
    if (xs.length === 0) return
    const positions = xs.map(x => plot.valToPos(x, 'x', true))
    const step = positions.length > 1 ? Math.abs(positions[1] - positions[0]) : width
    const pixel = window.devicePixelRatio || 1
    context.save()
    context.beginPath()
    context.rect(left, top, width, height)
    context.clip()
    states.forEach((entry, index) => {
      const center = positions[index]
      const columnLeft = center - step / 2
      if (entry.state === 'provisional') {
        context.fillStyle = stripePattern(context)
        context.fillRect(columnLeft, top, step, height)
        context.fillStyle = 'rgba(255, 255, 255, 0.25)'
        context.fillRect(columnLeft, top, step, height)
      } else if (entry.state === 'incomplete') {
        context.strokeStyle = STATE_COLORS.incomplete
        context.lineWidth = Math.max(1, pixel)
        context.setLineDash([4 * pixel, 3 * pixel])
        context.strokeRect(columnLeft + pixel, top + pixel, step - 2 * pixel, height - 2 * pixel)
        context.setLineDash([])
        const size = Math.min(7 * pixel, step / 2)
        context.fillStyle = STATE_COLORS.incomplete
        context.beginPath()
        context.moveTo(center - size, top + 1)
        context.lineTo(center + size, top + 1)
        context.lineTo(center, top + 1 + size * 1.6)
        context.closePath()
        context.fill()
      }
      if (entry.missing) {
        const size = Math.min(4 * pixel, step / 3)
        const base = top + height - size - 2 * pixel
        context.strokeStyle = STATE_COLORS.none
        context.lineWidth = Math.max(1, 1.5 * pixel)
        context.beginPath()
        context.moveTo(center - size, base - size)
        context.lineTo(center + size, base + size)
        context.moveTo(center + size, base - size)
        context.lineTo(center - size, base + size)
        context.stroke()
      }
    })
    context.restore()
  }
}
