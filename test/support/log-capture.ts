/** The service's own logger (redaction included) writing into memory, so tests can read every line. */
import { Writable } from 'node:stream'
import type { Logger } from 'pino'
import { createLogger } from '../../src/observability/logger.js'
import { SecretRedactor } from '../../src/security/secret-redactor.js'
import type { LogLine } from './log-line.js'

export interface CapturedLogs {
  logger: Logger
  redactor: SecretRedactor
  /** Every line written so far, as written (serialized JSON). */
  lines: string[]
  /** The lines parsed. */
  entries(): LogLine[]
}

export function captureLogs (options: { level?: string, secrets?: string[] } = {}): CapturedLogs {
  const lines: string[] = []
  const destination = new Writable({
    write (chunk, _encoding, callback) {
      lines.push(String(chunk))
      callback()
    }
  })
  const redactor = new SecretRedactor(options.secrets ?? [])
  const logger = createLogger({ level: options.level ?? 'trace', redactor, destination })
  return { logger, redactor, lines, entries: () => lines.map(line => JSON.parse(line)) }
}
