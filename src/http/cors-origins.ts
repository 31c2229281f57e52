/**
 * USAGE_CORS_ORIGINS: the browser origins allowed to read answers, as exact `scheme://host[:port]` strings
 * (a browser sends exactly that in `Origin`, so anything else could never match), or `*` for any origin.
 * `*` is refused when API keys are set: a key pasted into an arbitrary page's script would then work from
 * any site, which is what listing origins prevents.
 */
import { ConfigError } from '../config/config-error.js'

export const CORS_VARIABLE = 'USAGE_CORS_ORIGINS'

/** No entries: no CORS headers at all (browsers then refuse cross-origin reads). */
export type CorsOrigins = readonly string[] | '*'

export function parseCorsOrigins (list: string | undefined, options: { apiKeysSet: boolean }): CorsOrigins {
  if (list === undefined) return []
  const entries = list.split(',').map(entry => entry.trim())
  if (entries.includes('*')) {
    if (entries.length > 1) throw new ConfigError(CORS_VARIABLE, '* allows every origin and cannot be combined with a list')
    if (options.apiKeysSet) {
      throw new ConfigError(CORS_VARIABLE, 'is * (every origin) while USAGE_API_KEYS is set; list the origins that may call the service instead')
    }
    return '*'
  }
  return entries.map((entry, index) => {
    const position = `entry ${index + 1} of ${entries.length}`
    if (entry === '') throw new ConfigError(CORS_VARIABLE, `${position} is empty; separate origins with single commas`)
    if (originOf(entry) !== entry) {
      throw new ConfigError(CORS_VARIABLE, `${position} (${entry}) is not an origin; write scheme://host[:port] with no path or trailing slash, e.g. https://billing.example.com`)
    }
    return entry
  })
}

/** The origin a browser would send for this text, or null when it is not an http(s) URL. */
function originOf (text: string): string | null {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null
  } catch {
    return null
  }
}
