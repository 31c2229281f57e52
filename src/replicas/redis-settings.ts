/**
 * The settings of the replica mode: where Redis is (checked here, for the config schema), and one replica's
 * share of an account's budget when it cannot reach Redis (each keeps to its share, so together they stay within it).
 */
import { ConfigError } from '../config/config-error.js'

/**
 * A `redis://` or `rediss://` URL, or null when unset (every replica keeps its budget, coalescing and cache to
 * itself). The URL may hold a password, so an error names the variable and the problem, never the value.
 */
export function parseRedisUrl (value: string | undefined, variable = 'USAGE_REDIS_URL'): string | null {
  if (value === undefined || value.trim() === '') return null
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new ConfigError(variable, 'expected a URL such as redis://127.0.0.1:6379/0')
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(variable, `expected the redis: or rediss: scheme, got ${url.protocol}`)
  }
  if (url.hostname === '') throw new ConfigError(variable, 'the URL names no host')
  const database = url.pathname.replace(/^\//, '')
  if (database !== '' && !/^\d{1,2}$/.test(database)) {
    throw new ConfigError(variable, 'the path must be a database number such as /0')
  }
  return url.toString()
}

/**
 * One replica's share of a per-second budget when it has to act alone: the whole calls a second it can make
 * without the replicas together exceeding the budget. Below one call a second per replica the share stays
 * fractional (one call every few seconds) instead of rounding up to one, which would let the replicas together
 * exceed the budget on average as well as in a single second.
 */
export function qpsShare (qps: number, replicas: number): number {
  const share = qps / replicas
  return share >= 1 ? Math.floor(share) : share
}

/** One replica's share of a cap on calls in flight: at least one, or the replica could make no call at all. */
export function concurrencyShare (concurrency: number, replicas: number): number {
  return Math.max(1, Math.floor(concurrency / replicas))
}
