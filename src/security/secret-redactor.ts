/**
 * The one place that scrubs secrets from text the service emits: provider error messages that reach
 * sources[] and error bodies, and every log line. Provider text is treated as hostile: providers echo request
 * parameters in errors (a string to sign, a query string, a header, an expected signature), so three things
 * are removed:
 * - every configured secret value (access key secrets, session tokens) in every form it may take
 *   (see secret-encodings.ts), including a long enough prefix of it;
 * - anything that looks like a signature, token, key or Authorization value, even from a secret not configured
 *   here: credential-named assignments, headers and query parameters, and HMAC-shaped values (hex of 40 or 64
 *   digits, padded base64) near a word such as `signature`, `string to sign` or `Authorization`;
 * - the same in the URLs of logged requests (`?api_key=…`, `&token=…`), where callers put keys by mistake.
 * Replacements contain no quote or backslash, and patterns stop at them, so redacting JSON text keeps it valid.
 */
import type { SourceCredentials } from '../usage/source-adapter.js'
import { MIN_SECRET_LENGTH, secretForms } from './secret-encodings.js'

export { MIN_SECRET_LENGTH } from './secret-encodings.js'

export const REDACTED = '[redacted]'

const CREDENTIAL_NAME = 'signature|security[-_]?token|session[-_]?token|x-tc-token|access[-_]?key[-_]?secret|secret[-_]?key|' +
  'client[-_]?secret|api[-_]?key|access[-_]?token|password'
/** `Name=value` (also `%3D`-encoded) or JSON `"Name":"value"`, for names that carry credentials. */
const CREDENTIAL_ASSIGNMENT = new RegExp(
  `(\\b[\\w-]*(?:${CREDENTIAL_NAME})\\b)` +
  '(\\s*(?:=|%3D)\\s*|"\\s*:\\s*")' +
  '((?:(?!%26)[^\\s&,;"\'\\\\<>])+)',
  'gi'
)
/**
 * A query parameter whose name ends like a credential's (`api_key`, `apiKey`, `key`, `token`, `access_token`,
 * `AccessKeySecret`, `SecretKey`, `Signature`, `X-TC-Token`...); `AccessKeyId` and `SignatureNonce` stay.
 */
const CREDENTIAL_PARAMETER = /([?&;][\w.-]*?(?:key|token|secret|signature|password|passwd|credential|auth|sig)=)([^&#\s"'\\<>]*)/gi
/** Echoed signing headers (`x-acs-signature-...: value`, `X-TC-Token: value`). */
const CREDENTIAL_HEADER = /(\bx-(?:acs|tc)-[\w-]*(?:token|signature)\b)(\s*:\s*)([^\s"\\,;<>]+)/gi
/** An Authorization value runs to the end of the header (it holds spaces and commas). */
const AUTHORIZATION_VALUE = /(\bauthorization\b)(\s*[:=]\s*|"\s*:\s*")([^"\\\r\n]+)/gi
/** A bearer token outside an Authorization header; 16 characters at least, so prose like "Bearer scheme" stays. */
const BEARER_TOKEN = /(\bbearer\s+)([A-Za-z0-9._~+/=-]{16,})/gi
/**
 * What an HMAC looks like written down: hex of SHA-1 (40) or SHA-256 (64), padded base64 (also in a query
 * string), unpadded base64url of 20 or 32 bytes. A whole word only (`\n` of an escaped newline may precede it).
 */
const SIGNATURE_SHAPE = new RegExp(
  '(^|[^A-Za-z0-9+/_%-]|\\\\[nrt])' +
  '((?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40}|(?:[A-Za-z0-9+/]|%2[BbFf]){20,}(?:==?|%3[Dd](?:%3[Dd])?)|' +
  '(?=[A-Za-z_-]*[0-9])(?:[A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{27}))' +
  '(?![A-Za-z0-9+/=_%-]))',
  'g'
)
/** A signature-shaped value is removed when one of these words comes shortly before it. */
const SIGNATURE_CONTEXT = /sign|auth|hmac|credential/i
const SIGNATURE_CONTEXT_CHARACTERS = 160
/** Cheap pre-check: lines without any of these words or a configured secret skip the patterns above. */
const SUSPICIOUS = /sig|token|secret|auth|bearer|pass|key|hmac|credential/i

export class SecretRedactor {
  /** Every form of every configured secret, and the encoded prefix that recognises it. */
  private readonly forms = new Map<string, string>()
  /** One alternation of every form's prefix; null until a secret is known. */
  private headPattern: RegExp | null = null
  private formsByHead = new Map<string, string[]>()

  constructor (secrets: Iterable<string> = []) {
    this.learn(secrets)
  }

  /** Secrets of every source's credentials (the access key id is an identifier, not a secret). */
  static forCredentials (credentials: Iterable<SourceCredentials>): SecretRedactor {
    return new SecretRedactor([...credentials].flatMap(credentialSecrets))
  }

  /** Adds secrets known only later (the embedded default's are made at boot). */
  learn (secrets: Iterable<string>): void {
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue
      for (const { full, head } of secretForms(secret)) this.forms.set(full, head)
    }
    this.formsByHead = new Map()
    for (const [full, head] of this.forms) this.formsByHead.set(head, [...this.formsByHead.get(head) ?? [], full])
    // Longest first, so of two prefixes starting at one place the longer is tried first.
    const heads = [...this.formsByHead.keys()].sort((left, right) => right.length - left.length)
    this.headPattern = heads.length > 0 ? new RegExp(heads.map(escapeRegExp).join('|'), 'g') : null
  }

  text (input: string): string {
    const output = this.removeConfigured(input)
    if (!SUSPICIOUS.test(output)) return output
    const scrubbed = output
      .replace(AUTHORIZATION_VALUE, `$1$2${REDACTED}`)
      .replace(CREDENTIAL_ASSIGNMENT, `$1$2${REDACTED}`)
      .replace(CREDENTIAL_PARAMETER, `$1${REDACTED}`)
      .replace(CREDENTIAL_HEADER, `$1$2${REDACTED}`)
      .replace(BEARER_TOKEN, `$1${REDACTED}`)
    if (!SIGNATURE_CONTEXT.test(scrubbed)) return scrubbed
    return scrubbed.replace(SIGNATURE_SHAPE, (match: string, before: string, shape: string, offset: number, whole: string) => {
      const end = offset + before.length
      return SIGNATURE_CONTEXT.test(whole.slice(Math.max(0, end - SIGNATURE_CONTEXT_CHARACTERS), end)) ? before + REDACTED : match
    })
  }

  /**
   * Every stretch that starts with a form's prefix and runs as far as the text agrees with that form; overlapping
   * stretches (two secrets echoed into each other) are removed as one.
   */
  private removeConfigured (input: string): string {
    const pattern = this.headPattern
    if (pattern === null) return input
    const stretches: Array<[number, number]> = []
    pattern.lastIndex = 0
    for (let match = pattern.exec(input); match !== null; match = pattern.exec(input)) {
      const start = match.index
      let end = start + match[0].length
      for (const full of this.formsByHead.get(match[0]) ?? []) end = Math.max(end, start + agreeingLength(input, start, full))
      const last = stretches[stretches.length - 1]
      if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end)
      else stretches.push([start, end])
      pattern.lastIndex = start + 1
    }
    if (stretches.length === 0) return input
    let output = ''
    let copied = 0
    for (const [start, end] of stretches) {
      output += input.slice(copied, start) + REDACTED
      copied = end
    }
    return output + input.slice(copied)
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

/** How many characters of `text` from `start` on are the same as the start of `form`. */
function agreeingLength (text: string, start: number, form: string): number {
  let length = 0
  while (length < form.length && text.charCodeAt(start + length) === form.charCodeAt(length)) length++
  return length
}

function escapeRegExp (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
