// The layout CONTRIBUTING.md describes, checked on the source itself so that it cannot quietly erode.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const SRC = join(import.meta.dirname, '..', 'src')
const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter(path => path.endsWith('.ts'))
  .map(path => ({ path: path.split('\\').join('/'), text: readFileSync(join(SRC, path), 'utf8') }))
const importsOf = (text: string): string[] => [...text.matchAll(/^(?:import|export)\b[^'"]*?from '([^']+)'/gm)].map(match => match[1]!)

t.test('the core imports neither Fastify nor the HTTP schemas', async t => {
  const core = files.filter(file => file.path.startsWith('usage/'))
  t.ok(core.length > 10, 'the core was found')
  for (const file of core) {
    const offending = importsOf(file.text).filter(source => /^fastify/.test(source) || source.includes('/schemas/'))
    t.same(offending, [], file.path)
  }
})

t.test('every Fastify plugin lives in src/plugins (fastify-plugin) or src/routes (route groups)', async t => {
  for (const file of files) {
    if (importsOf(file.text).includes('fastify-plugin')) t.match(file.path, /^plugins\//, `${file.path} defines a plugin`)
    if (/\bFastifyPluginAsync\b/.test(file.text)) t.match(file.path, /^(plugins|routes)\//, `${file.path} defines a plugin`)
  }
  const plugins = files.filter(file => file.path.startsWith('plugins/'))
  t.ok(plugins.length > 5, 'the plugins were found')
  for (const file of plugins) t.match(file.text, /\bfp(<[^>]+>)?\([\s\S]*\{ name: '[a-z-]+' \}\)/, `${file.path} is a named fp plugin`)
})
