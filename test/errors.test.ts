import t from 'tap'
import { ERROR_CODES, UpstreamError, UsageError } from '../src/errors.js'

t.test('every error code has a status and a description, and upstream retryability is by code', async t => {
  for (const [code, entry] of Object.entries(ERROR_CODES)) {
    t.ok(entry.status >= 400 && entry.status < 600, code)
    t.ok(entry.description.length > 10, code)
    t.match(code, /^[A-Z_]+$/)
  }
  t.equal(new UsageError('INVALID_QUERY', 'x').statusCode, 400)
  t.equal(new UpstreamError('UPSTREAM_THROTTLED', 'x').retryable, true)
  t.equal(new UpstreamError('UPSTREAM_SERVER', 'x').retryable, true)
  t.equal(new UpstreamError('UPSTREAM_AUTH', 'x').retryable, false)
  t.equal(new UpstreamError('UPSTREAM_PARAMETER', 'x').retryable, false)
  t.equal(new UpstreamError('UPSTREAM_MALFORMED', 'x').retryable, false)
})

t.test('every code is documented in the README', async t => {
  const { readFile } = await import('node:fs/promises')
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  for (const code of Object.keys(ERROR_CODES)) t.match(readme, new RegExp('`' + code + '`'), `${code} in README`)
})
