/**
 * The forms a configured secret takes when a provider or a library echoes it, so the redactor can look for each.
 * A provider's error message may hold the secret raw, inside a query string (encoded once or twice, with upper-
 * or lower-case escapes), inside JSON, base64- or base64url-encoded (on its own or inside a longer encoded blob,
 * e.g. `key:secret`), hex-encoded, or cut short. Every form is a pure function of the secret that maps a prefix
 * of the secret to a prefix of the form, so a form of the secret's first characters recognises a truncated echo.
 */
import { percentEncode } from '../signing/percent-encode.js'

/** Shorter values cannot be told from ordinary words; real secrets and tokens are 30 characters or more. */
export const MIN_SECRET_LENGTH = 8
/** A secret at least this long is recognised from a prefix too (an echo cut at a length limit)... */
export const PREFIX_SECRET_LENGTH = 20
/** ...of at least this many characters: random material this long never occurs by chance. */
export const MIN_PREFIX_LENGTH = 12

/** One form of a secret: the whole encoded text, and the encoded prefix that is enough to recognise it. */
export interface SecretForm {
  full: string
  head: string
}

type Encoding = (text: string) => string

/** Every form of a secret worth looking for, without duplicates; forms shorter than a secret are left out. */
export function secretForms (secret: string): SecretForm[] {
  const prefix = secret.length >= PREFIX_SECRET_LENGTH ? secret.slice(0, prefixLength(secret)) : secret
  const forms = new Map<string, string>()
  for (const encode of BYTE_ENCODINGS) {
    for (const travel of TEXT_ENCODINGS) {
      const form = attempt(() => travel(encode(secret)))
      const head = attempt(() => travel(encode(prefix)))
      if (form !== null && head !== null && form.length >= MIN_SECRET_LENGTH && !forms.has(form)) forms.set(form, head)
    }
  }
  return [...forms].map(([full, head]) => ({ full, head }))
}

/** MIN_PREFIX_LENGTH characters, one more if that would split a surrogate pair. */
function prefixLength (secret: string): number {
  const last = secret.charCodeAt(MIN_PREFIX_LENGTH - 1)
  return last >= 0xd800 && last <= 0xdbff ? MIN_PREFIX_LENGTH + 1 : MIN_PREFIX_LENGTH
}

/** encodeURIComponent throws on a lone surrogate: such a secret cannot travel in a query string anyway. */
function attempt (encode: () => string): string | null {
  try { return encode() } catch { return null }
}

/**
 * Base64 of the secret starting at byte offset 0, 1 or 2 of a longer encoded value: only the characters made
 * of the secret's bits alone, which are the same whatever surrounds the secret.
 */
function base64Core (offset: number, alphabet: 'base64' | 'base64url'): Encoding {
  return text => {
    const bytes = Buffer.from(text, 'utf8')
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet)
    return encoded.slice(Math.ceil(offset * 8 / 6), Math.floor((offset + bytes.length) * 8 / 6))
  }
}

const BYTE_ENCODINGS: Encoding[] = [
  text => text,
  text => Buffer.from(text, 'utf8').toString('hex'),
  text => Buffer.from(text, 'utf8').toString('hex').toUpperCase(),
  ...[0, 1, 2].flatMap(offset => [base64Core(offset, 'base64'), base64Core(offset, 'base64url')])
]

const lowerEscapes = (text: string) => text.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase())
const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1)

/** How a text travels: as is, in a query string (once or twice, either escape case, either reserved set), in JSON. */
const TEXT_ENCODINGS: Array<(text: string) => string> = [
  text => text,
  encodeURIComponent,
  percentEncode,
  text => lowerEscapes(encodeURIComponent(text)),
  text => lowerEscapes(percentEncode(text)),
  text => encodeURIComponent(encodeURIComponent(text)),
  text => lowerEscapes(encodeURIComponent(lowerEscapes(encodeURIComponent(text)))),
  jsonEscaped,
  text => jsonEscaped(encodeURIComponent(text))
]
