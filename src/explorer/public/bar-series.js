/**
 * Bars drawn with fillRect on whole pixels. uPlot's own bar paths are one Path2D of many rectangles, which a
 * software-rendered canvas (headless, no GPU) takes seconds to fill once the bars get thinner than a pixel or two;
 * rectangles on whole pixels fill in milliseconds at any count. A null value draws no bar: a gap, never a zero.
 */

/** For a uPlot series: draws nothing itself, so the drawSeries hook below paints the bars. */
export const NO_PATHS = () => null

/** A uPlot drawSeries hook painting series (by index) as bars centred on their x values. */
export function drawBarSeries (colors) {
  return (plot, seriesIndex) => {
    const values = plot.data[seriesIndex]
    const xs = plot.data[0]
    if (xs.length === 0) return
    const { left, top, width, height } = plot.bbox
    const positions = xs.map(x => plot.valToPos(x, 'x', true))
    const step = positions.length > 1 ? Math.abs(positions[1] - positions[0]) : width / 2
    const barWidth = step < 4 ? Math.max(1, Math.ceil(step)) : Math.max(1, Math.round(step * 0.72))
    const base = Math.round(plot.valToPos(0, 'y', true))
    const context = plot.ctx
    context.save()
    context.beginPath()
    context.rect(left, top, width, height)
    context.clip()
    context.fillStyle = colors[seriesIndex - 1]
    for (let index = 0; index < xs.length; index++) {
      const value = values[index]
      if (value === null || value === undefined) continue
      const edge = Math.round(plot.valToPos(value, 'y', true))
      context.fillRect(Math.round(positions[index] - barWidth / 2), Math.min(edge, base), barWidth, Math.abs(base - edge))
    }
    context.restore()
  }
}
