/**
 * GET / : the usage explorer, a page for people built only on GET /usage and GET /usage/catalog. The page holds
 * no data, so it and its files are public even when API keys are configured; the data calls it makes are not.
 * The deployment's query defaults (USAGE_DEFAULT_TZ, USAGE_DEFAULT_GRANULARITY) are written into the page so
 * its form starts where a query without tz or granularity would.
 */
import { createHash } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { matchesIfNoneMatch } from '../http/conditional-request.js'
import type { QueryDefaults } from '../schemas/usage-query-schema.js'
import { ASSET_PREFIX, loadExplorerAssets, type ExplorerAsset } from '../explorer/explorer-assets.js'

/**
 * Only this service's own files and API; uPlot sets inline styles on its elements, hence 'unsafe-inline' for
 * styles only. Downloads are blob: URLs made by the page when a key has to be sent.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'"
].join('; ')

export const explorerRoute: FastifyPluginAsync<{ queryDefaults: QueryDefaults }> = async (app, options) => {
  const { pageTemplate, assets } = loadExplorerAssets()
  const page = withEntityTag({
    body: Buffer.from(renderPage(pageTemplate, options.queryDefaults)),
    contentType: 'text/html; charset=utf-8'
  })
  const tagged = new Map([...assets].map(([name, asset]) => [name, withEntityTag(asset)]))

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY)
    return send(request, reply, page)
  })
  app.get(`${ASSET_PREFIX}*`, { schema: { hide: true } }, async (request, reply) => {
    const name = (request.params as { '*': string })['*']
    const asset = tagged.get(name)
    if (asset === undefined) return reply.callNotFound()
    return send(request, reply, asset)
  })
}

interface TaggedAsset extends ExplorerAsset { entityTag: string }

function withEntityTag (asset: ExplorerAsset): TaggedAsset {
  return { ...asset, entityTag: `"${createHash('sha256').update(asset.body).digest('base64url').slice(0, 27)}"` }
}

/** Revalidated on every load (no-cache + ETag): a new release is seen at once, an unchanged file costs a 304. */
function send (request: FastifyRequest, reply: FastifyReply, asset: TaggedAsset) {
  reply.header('cache-control', 'no-cache')
  reply.header('etag', asset.entityTag)
  reply.header('x-content-type-options', 'nosniff')
  if (matchesIfNoneMatch(request.headers['if-none-match'], asset.entityTag)) return reply.code(304).send()
  return reply.type(asset.contentType).send(asset.body)
}

/** The template's {{defaultTz}} and {{defaultGranularity}} are attribute values: escaped as such. */
export function renderPage (template: string, defaults: QueryDefaults): string {
  return template
    .replaceAll('{{defaultTz}}', escapeAttribute(defaults.zone))
    .replaceAll('{{defaultGranularity}}', escapeAttribute(defaults.granularity))
}

function escapeAttribute (value: string): string {
  return value.replace(/[&<>"']/g, character => `&#${character.charCodeAt(0)};`)
}
