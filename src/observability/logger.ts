/**
 * The service's pino logger. Two layers keep secrets out: redaction paths for the places a credential or
 * the caller's key sits in a logged object, and the redactor over every serialized line for what a provider
 * echoed into an error message or anything a path cannot name.
 */
import pino, { type DestinationStream, type Logger } from 'pino'
import type { SecretRedactor } from '../security/secret-redactor.js'
import { REDACTED } from '../security/secret-redactor.js'

export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'credentials',
  '*.credentials',
  '*.*.credentials',
  '*.accessKeySecret',
  '*.securityToken',
  '*.*.accessKeySecret',
  '*.*.securityToken'
]

export interface LoggerOptions {
  level: string
  redactor: SecretRedactor
  /** Where lines go; stdout by default (tests capture them). */
  destination?: DestinationStream
}

export function createLogger (options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    redact: { paths: REDACTED_LOG_PATHS, censor: REDACTED },
    hooks: { streamWrite: (line: string) => options.redactor.logLine(line) }
  }
  // pino's own stdout stream writes synchronously, so the last lines before exit are not lost.
  return options.destination ? pino(settings, options.destination) : pino(settings)
}
