/**
 * The explorer's files: its own page and modules (src/explorer/public, copied beside the build by
 * scripts/copy-explorer-assets.mjs) and uPlot from node_modules. A fixed list read once at boot, so a missing
 * file stops the service at start rather than a user at the page, and no request path ever reaches the disk.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

export interface ExplorerAsset {
  body: Buffer
  contentType: string
}

/** URL prefix of every file the page loads besides itself. */
export const ASSET_PREFIX = '/explorer/'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png'
}

/** The page's own modules, by file name under public/. */
const PAGE_FILES = [
  'explorer.css',
  'main.js',
  'api-client.js',
  'api-key.js',
  'query-url.js',
  'query-form.js',
  'quick-ranges.js',
  'units.js',
  'charts.js',
  'bar-series.js',
  'time-axis.js',
  'bucket-marks.js',
  'answer-panels.js',
  'downloads.js',
  'dom.js'
]

/** uPlot, served from its npm package under these names. */
const VENDOR_FILES: Record<string, string> = {
  'vendor/uPlot.esm.js': 'uplot/dist/uPlot.esm.js',
  'vendor/uPlot.min.css': 'uplot/dist/uPlot.min.css'
}

function contentTypeOf (name: string): string {
  const extension = name.slice(name.lastIndexOf('.'))
  const type = CONTENT_TYPES[extension]
  if (type === undefined) throw new Error(`explorer asset ${name}: no content type for ${extension}`)
  return type
}

/** The page's HTML template and every asset by its path under ASSET_PREFIX. */
export function loadExplorerAssets (): { pageTemplate: string, assets: Map<string, ExplorerAsset> } {
  const publicDirectory = new URL('./public/', import.meta.url)
  const require = createRequire(import.meta.url)
  const assets = new Map<string, ExplorerAsset>()
  for (const name of PAGE_FILES) {
    assets.set(name, { body: readFileSync(new URL(name, publicDirectory)), contentType: contentTypeOf(name) })
  }
  for (const [name, modulePath] of Object.entries(VENDOR_FILES)) {
    assets.set(name, { body: readFileSync(require.resolve(modulePath)), contentType: contentTypeOf(name) })
  }
  const pageTemplate = readFileSync(fileURLToPath(new URL('index.html', publicDirectory)), 'utf8')
  return { pageTemplate, assets }
}
