/**
 * GET / and its files, without a browser: public even with keys, the deployment defaults written into the page,
 * every file the page and its modules import actually served, revalidation by ETag, and nothing else reachable.
 */
import t from 'tap'
import { renderPage } from '../../src/routes/explorer-route.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { ApiKeySet, sha256 } from '../../src/security/api-keys.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import type { ServedOpenApi } from '../support/served-openapi.js'
import { startTestService } from '../support/test-service.js'

const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const KEY = 'explorer-route-test-key-0001'
const service = await startTestService(t, [studio], {
  queryDefaults: { zone: 'Europe/Berlin', granularity: 'hour' },
  apiKeys: new ApiKeySet([sha256(KEY)])
})

t.test('the page is public, says where the deployment defaults are, and forbids anything but its own origin', async t => {
  const page = await service.get('/')
  t.equal(page.status, 200)
  t.match(page.headers['content-type'], /^text\/html; charset=utf-8/)
  t.match(page.text, /<meta name="usage-defaults" data-tz="Europe\/Berlin" data-granularity="hour">/)
  t.notMatch(page.text, /\{\{/, 'no placeholder left')
  t.match(page.headers['content-security-policy'], /default-src 'self'/)
  t.match(page.headers['content-security-policy'], /script-src 'self'(;|$)/, 'no inline script, no other origin')
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.equal((await service.get('/usage/catalog')).status, 401, 'the data it reads is not public')
})

t.test('every file the page links and every module it imports is served, and public', async t => {
  const page = (await service.get('/')).text
  const queue = [...page.matchAll(/(?:src|href)="(\/explorer\/[^"]+)"/g)].map(match => match[1]!)
  t.ok(queue.includes('/explorer/main.js') && queue.includes('/explorer/vendor/uPlot.min.css'))
  const seen = new Set<string>()
  while (queue.length > 0) {
    const path = queue.shift()!
    if (seen.has(path)) continue
    seen.add(path)
    const response = await service.get(path)
    t.equal(response.status, 200, path)
    t.match(response.headers['content-type'], path.endsWith('.css') ? /^text\/css/ : /^text\/javascript/, path)
    if (!path.endsWith('.js')) continue
    for (const match of response.text.matchAll(/^import .* from '(\.[^']+)'/gm)) {
      queue.push(new URL(match[1]!, `http://page${path}`).pathname)
    }
  }
  t.ok(seen.has('/explorer/vendor/uPlot.esm.js'), 'uPlot, from node_modules, is among them')
  const preloaded = new Set([...page.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map(match => match[1]!))
  const modules = [...seen].filter(path => path.endsWith('.js') && path !== '/explorer/main.js')
  t.same(modules.filter(path => !preloaded.has(path)), [], 'every imported module is preloaded, so none waits for the one importing it')
  t.ok(seen.size >= 15, `${seen.size} files`)
})

t.test('an unchanged file is a 304, a changed one would have another ETag', async t => {
  const first = await service.get('/explorer/main.js')
  t.match(first.headers.etag, /^"[\w-]+"$/)
  t.equal(first.headers['cache-control'], 'no-cache')
  const again = await service.get('/explorer/main.js', { 'if-none-match': first.headers.etag as string })
  t.equal(again.status, 304)
  t.equal(again.text, '')
  t.not((await service.get('/explorer/charts.js')).headers.etag, first.headers.etag)
})

t.test('the files are compressed for a browser that asks', async t => {
  const uPlot = await service.get('/explorer/vendor/uPlot.esm.js', { 'accept-encoding': 'gzip, deflate, br' })
  t.equal(uPlot.status, 200)
  t.match(uPlot.headers['content-encoding'], /^(br|gzip)$/)
})

t.test('nothing but the listed files: no directory listing, no path out of the folder', async t => {
  for (const path of ['/explorer/', '/explorer/nope.js', '/explorer/..%2fpackage.json', '/explorer/index.html', '/explorer/vendor/uPlot.d.ts']) {
    const response = await service.getError(path)
    t.equal(response.status, 404, path)
    t.equal(response.json.error.code, 'NOT_FOUND', path)
  }
})

t.test('the page is not part of the API document', async t => {
  const document = (await service.get('/openapi.json')).json as ServedOpenApi
  t.same(Object.keys(document.paths).filter(path => path === '/' || path.startsWith('/explorer')), [])
})

t.test('the defaults written into the page are escaped as attribute values', async t => {
  const html = renderPage('<meta data-tz="{{defaultTz}}" data-granularity="{{defaultGranularity}}">', { zone: '"><script>x</script>', granularity: 'day' })
  t.equal(html, '<meta data-tz="&#34;&#62;&#60;script&#62;x&#60;/script&#62;" data-granularity="day">')
})
