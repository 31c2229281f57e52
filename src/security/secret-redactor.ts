/**
 * The one place that scrubs secrets from text the service emits: provider error messages that reach
 * sources[] and error bodies, and every log line. Providers echo request parameters in errors (a string to
 * sign, a query string, a header), so two things are removed:
 * - every configured secret value (access key secrets, session tokens), raw, URL-encoded and JSON-escaped;
 * - anything that looks like a signature, token or Authorization value, even from a secret not configured here.
 * Replacements contain no quote or backslash, and patterns stop at them, so redacting JSON text keeps it valid.
 */
import type { SourceCredentials } from '../usage/source-adapter.js'

export const REDACTED = '[redacted]'

/** Shorter values cannot be told from ordinary words; real secrets and tokens are 30 characters or more. */
export const MIN_SECRET_LENGTH = 8

/** `Name=value` (also `%3D`-encoded) or JSON `"Name":"value"`, for names that carry credentials. */
const CREDENTIAL_ASSIGNMENT = new RegExp(
  '(\\b[\\w-]*(?:signature|security-?token|session-?token|x-tc-token|access-?key-?secret|secret-?key|secretkey|password)\\b)' +
  '(\\s*(?:=|%3D)\\s*|"\\s*:\\s*")' +
  '((?:(?!%26)[^\\s&,;"\'\\\\<>])+)',
  'gi'
)
/** Echoed signing headers (`x-acs-signature-...: value`, `X-TC-Token: value`). */
const CREDENTIAL_HEADER = /(\bx-(?:acs|tc)-[\w-]*(?:token|signature)\b)(\s*:\s*)([^\s"\\,;<>]+)/gi
/** An Authorization value runs to the end of the header (it holds spaces and commas). */
const AUTHORIZATION_VALUE = /(\bauthorization\b)(\s*[:=]\s*|"\s*:\s*")([^"\\\r\n]+)/gi
/** A bearer token outside an Authorization header; 16 characters at least, so prose like "Bearer scheme" stays. */
const BEARER_TOKEN = /(\bbearer\s+)([A-Za-z0-9._~+/=-]{16,})/gi
/** Cheap pre-check: lines without any of these words or a configured secret are passed through untouched. */
const SUSPICIOUS = /signature|token|secret|authorization|bearer|password/i

export class SecretRedactor {
  private literals: string[] = []

  constructor (secrets: Iterable<string> = []) {
    this.learn(secrets)
  }

  /** Secrets of every source's credentials (the access key id is an identifier, not a secret). */
  static forCredentials (credentials: Iterable<SourceCredentials>): SecretRedactor {
    return new SecretRedactor([...credentials].flatMap(credentialSecrets))
  }

  /** Adds secrets known only later (the embedded default's are made at boot). */
  learn (secrets: Iterable<string>): void {
    const variants = new Set(this.literals)
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue
      for (const variant of encodings(secret)) variants.add(variant)
    }
    // Longest first, so a secret containing another is replaced whole.
    this.literals = [...variants].sort((left, right) => right.length - left.length)
  }

  text (input: string): string {
    let output = input
    for (const literal of this.literals) {
      if (output.includes(literal)) output = output.split(literal).join(REDACTED)
    }
    if (!SUSPICIOUS.test(output)) return output
    return output
      .replace(AUTHORIZATION_VALUE, `$1$2${REDACTED}`)
      .replace(CREDENTIAL_ASSIGNMENT, `$1$2${REDACTED}`)
      .replace(CREDENTIAL_HEADER, `$1$2${REDACTED}`)
      .replace(BEARER_TOKEN, `$1${REDACTED}`)
  }

  /** Every string inside a JSON-like value, keys left as they are. */
  deep<T> (value: T): T {
    if (typeof value === 'string') return this.text(value) as T
    if (Array.isArray(value)) return value.map(item => this.deep(item)) as T
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const copy: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) copy[key] = this.deep(item)
      return copy as T
    }
    return value
  }

  /**
   * For pino's streamWrite hook: a serialized log line with secrets removed. Text replacement keeps JSON valid
   * in all but contrived cases (a secret starting inside an escape sequence); those lines are redacted parsed.
   */
  logLine (line: string): string {
    const redacted = this.text(line)
    if (redacted === line) return line
    try {
      JSON.parse(redacted)
      return redacted
    } catch {}
    try {
      return JSON.stringify(this.deep(JSON.parse(line))) + '\n'
    } catch {
      return redacted
    }
  }
}

/** The secret parts of a source's credentials. */
export function credentialSecrets (credentials: SourceCredentials): string[] {
  return credentials.securityToken ? [credentials.accessKeySecret, credentials.securityToken] : [credentials.accessKeySecret]
}

/** The forms a secret takes when a provider echoes it: raw, in a query string (once or twice encoded), inside JSON. */
function encodings (secret: string): string[] {
  const once = encodeURIComponent(secret)
  const json = JSON.stringify(secret).slice(1, -1)
  return [secret, once, encodeURIComponent(once), json, JSON.stringify(once).slice(1, -1)]
}
