/**
 * How the ledger CLI reports: on a terminal, a progress bar with an ETA that steps redraw, other events as text
 * lines above it; otherwise (a pipe, a file, CI) one JSON object per line per event, for machines.
 */
export interface StepProgress {
  done: number
  total: number
  /** Estimated milliseconds left; null until a step has finished. */
  etaMs: number | null
}

export interface CliEvent {
  event: string
  progress?: StepProgress
  [field: string]: unknown
}

export interface StepOutput {
  emit(event: CliEvent): void
  /** Ends the bar's line on a terminal. */
  close(): void
}

/** `redact`: applied to everything written (a provider's error message may echo a credential). */
export function createStepOutput (target: NodeJS.WritableStream & { isTTY?: boolean, columns?: number }, redact: (text: string) => string = text => text): StepOutput {
  const stream = { write: (text: string) => target.write(redact(text)), columns: target.columns }
  if (target.isTTY !== true) {
    return { emit: event => { stream.write(JSON.stringify(event) + '\n') }, close: () => {} }
  }
  let bar = ''
  return {
    emit (event) {
      if (event.progress !== undefined) {
        bar = progressBar(event.progress, describe(event), stream.columns ?? 80)
        stream.write(`\r\x1b[K${bar}`)
        return
      }
      stream.write(`\r\x1b[K${describe(event)}\n${bar}`)
    },
    close () {
      if (bar !== '') stream.write('\n')
    }
  }
}

/** An ETA estimate from the steps done so far: the mean time per step times the steps left. */
export function estimateRemainingMs (elapsedMs: number, done: number, total: number): number | null {
  return done === 0 ? null : Math.round(elapsedMs / done * (total - done))
}

function progressBar (progress: StepProgress, label: string, columns: number): string {
  const width = 24
  const filled = progress.total === 0 ? width : Math.round(width * progress.done / progress.total)
  const percent = progress.total === 0 ? 100 : Math.floor(100 * progress.done / progress.total)
  const eta = progress.etaMs === null ? 'ETA …' : `ETA ${formatDuration(progress.etaMs)}`
  const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.done}/${progress.total} ${percent}% ${eta}  ${label}`
  return line.slice(0, Math.max(20, columns - 1))
}

function describe (event: CliEvent): string {
  const { event: name, progress: _progress, ...fields } = event
  const text = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' ')
  return `${name} ${text}`
}

export function formatDuration (milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000)
  if (seconds < 60) return `${seconds}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(seconds / 3600)}h${String(Math.floor(seconds % 3600 / 60)).padStart(2, '0')}m`
}
