/** Pure: the bench's one table, and the units it prints. */

/** A ratio's target: 'max' means the ratio must not exceed the value, 'min' that it must reach it. */
export type Target = { kind: 'max' | 'min' | 'equal', value: number }

export interface Row {
  scenario: string
  figure: string
  measured: string
  /** The same-run reference the ratio is taken against. */
  baseline: string
  ratio: number | null
  target: Target | null
}

export type Verdict = 'met' | 'MISSED' | 'info'

/** Ratios are compared as printed (2 decimals), so a printed 1.10 never reads as a miss of ≤ 1.10. */
export function verdictOf (ratio: number | null, target: Target | null): Verdict {
  if (ratio === null || target === null || !Number.isFinite(ratio)) return 'info'
  const shown = Math.round(ratio * 100) / 100
  switch (target.kind) {
    case 'max': return shown <= target.value ? 'met' : 'MISSED'
    case 'min': return shown >= target.value ? 'met' : 'MISSED'
    case 'equal': return shown === target.value ? 'met' : 'MISSED'
  }
}

export function formatTarget (target: Target | null): string {
  if (target === null) return ''
  const value = target.value.toFixed(2)
  return target.kind === 'max' ? `≤ ${value}` : target.kind === 'min' ? `≥ ${value}` : `= ${value}`
}

export function formatRatio (ratio: number | null): string {
  if (ratio === null) return ''
  if (!Number.isFinite(ratio)) return String(ratio)
  return ratio >= 1000 ? ratio.toExponential(2) : ratio.toFixed(2)
}

export function formatMs (milliseconds: number): string {
  if (milliseconds >= 10_000) return `${(milliseconds / 1000).toFixed(1)} s`
  if (milliseconds >= 1000) return `${(milliseconds / 1000).toFixed(2)} s`
  return `${milliseconds.toFixed(milliseconds >= 100 ? 0 : 1)} ms`
}

export function formatBytes (bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} B`
}

/** 1234567 → '1.23 M', 12345 → '12.3 k'. */
export function formatCount (value: number): string {
  if (Math.abs(value) >= 1e6) return `${(value / 1e6).toFixed(2)} M`
  if (Math.abs(value) >= 1e4) return `${(value / 1e3).toFixed(1)} k`
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

const HEADERS = ['#', 'figure', 'measured', 'same-run baseline', 'ratio', 'target', 'result'] as const

/**
 * Rows grouped under their scenario, columns padded to their widest cell (by code points, so '≤' is one
 * column). The scenario is printed on its first row only.
 */
export function formatTable (rows: readonly Row[]): string {
  const cells: string[][] = [HEADERS.slice()]
  let previousScenario: string | null = null
  for (const row of rows) {
    const scenario = row.scenario === previousScenario ? '' : row.scenario
    previousScenario = row.scenario
    cells.push([
      scenario, row.figure, row.measured, row.baseline, formatRatio(row.ratio), formatTarget(row.target),
      row.target === null ? '' : verdictOf(row.ratio, row.target)
    ])
  }
  const widths = HEADERS.map((_, column) => Math.max(...cells.map(line => width(line[column]!))))
  const numeric = new Set([4])
  const render = (line: string[]) => line
    .map((cell, column) => numeric.has(column) ? pad(cell, widths[column]!, 'left') : pad(cell, widths[column]!, 'right'))
    .join('  ')
    .trimEnd()
  const rule = widths.map(size => '-'.repeat(size)).join('  ')
  return [render(cells[0]!), rule, ...cells.slice(1).map(render)].join('\n')
}

function width (text: string): number {
  return [...text].length
}

function pad (text: string, size: number, side: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)))
  return side === 'left' ? fill + text : text + fill
}
