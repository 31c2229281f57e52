/**
 * CORS for browser callers (dashboards on another origin), from USAGE_CORS_ORIGINS. Registered before the API
 * keys: a preflight carries no key and is answered here. An origin not listed gets no
 * Access-Control-Allow-Origin, which is how a browser is told no. Nothing is registered when no origin is listed.
 */
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { CorsOrigins } from '../http/cors-origins.js'
import { REQUEST_ID_HEADER } from '../http/request-id.js'

/** Headers a page's script may read besides the simple ones: the request id, validators and the answer's own. */
const EXPOSED_HEADERS = [REQUEST_ID_HEADER, 'etag', 'x-usage-cache-age', 'x-usage-complete', 'x-usage-warnings']
/** How long a browser may reuse a preflight's answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600

export const corsPlugin = fp<{ origins: CorsOrigins }>(async (app: FastifyInstance, { origins }) => {
  if (origins.length === 0) return
  await app.register(cors, {
    origin: origins === '*' ? '*' : [...origins],
    methods: ['GET'],
    allowedHeaders: ['authorization'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    // A preflight without Origin is not a browser's: answered 204 with no CORS headers, not an undocumented 400 text.
    strictPreflight: false
  })
}, { name: 'cors' })
