/**
 * API keys: when keys are configured, every route but health, readiness, the docs and the explorer page needs
 * `Authorization: Bearer <key>`; /metrics too unless it is made public. Checked on the matched route's
 * template, not the raw URL, so no spelling of a path can reach a protected route as a public one.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { UsageError } from '../errors.js'
import { ASSET_PREFIX } from '../explorer/explorer-assets.js'
import { bearerTokenOf, type ApiKeySet } from '../security/api-keys.js'

export interface ApiKeyAuthOptions {
  keys: ApiKeySet
  /** true: Prometheus may scrape /metrics without a key. */
  metricsPublic: boolean
}

// The explorer page and its files hold no data (it asks for a key and calls /usage with it), so they are public.
const ALWAYS_PUBLIC = new Set(['/healthz', '/readyz', '/openapi.json', '/'])
const PUBLIC_PREFIXES = ['/docs/', ASSET_PREFIX]
const CHALLENGE = 'Bearer realm="usage-service"'

export const apiKeyAuthPlugin = fp<ApiKeyAuthOptions>(async (app: FastifyInstance, options) => {
  if (!options.keys.enabled) {
    app.log.warn('USAGE_API_KEYS is not set: EVERY ROUTE IS OPEN to anyone who can reach this port; ' +
      'set USAGE_API_KEYS before exposing the service beyond this machine')
    return
  }
  const isPublic = (request: FastifyRequest): boolean => {
    const route = request.routeOptions.url
    if (route === undefined) return false
    if (ALWAYS_PUBLIC.has(route) || route === '/docs' || PUBLIC_PREFIXES.some(prefix => route.startsWith(prefix))) return true
    return options.metricsPublic && route === '/metrics'
  }
  app.addHook('onRequest', async (request, reply) => {
    if (isPublic(request)) return
    const header = request.headers.authorization
    const key = bearerTokenOf(header)
    if (key !== null && options.keys.accepts(key)) return
    if (header === undefined) {
      reply.header('www-authenticate', CHALLENGE)
      throw new UsageError('UNAUTHORIZED', 'an API key is required: send the header Authorization with the value Bearer and the key')
    }
    reply.header('www-authenticate', `${CHALLENGE}, error="invalid_token"`)
    throw new UsageError('UNAUTHORIZED', key === null
      ? 'the Authorization header is not of the form Bearer and a key'
      : 'the API key is not valid')
  })
}, { name: 'api-key-auth' })
