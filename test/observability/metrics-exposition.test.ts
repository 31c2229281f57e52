/**
 * GET /metrics through real HTTP: Prometheus naming conventions, every per-source series present at 0 from
 * startup, answers counted by completeness, and the build info. When `promtool` is on PATH the real server's
 * output (process metrics included) is checked by it too.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { request } from 'undici'
import { CACHE_LOOKUP_RESULTS, CALL_OUTCOMES } from '../../src/observability/usage-metrics.js'
import { liveProducerAdapter } from '../../src/providers/aliyun-live-producer/live-producer-adapter.js'
import { startLiveProducerSimulator } from '../../src/simulators/index.js'
import { spawnServer } from '../support/child-server.js'
import { startTestService } from '../support/test-service.js'

const KIND = 'aliyun.live-producer'
const studio = { id: 'studio', adapter: liveProducerAdapter, startSimulator: startLiveProducerSimulator }
const backup = { ...studio, id: 'backup', simulatorOf: 'studio' }
const QUERY = '/usage?from=2026-11-01&to=2026-11-03&source=studio'
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

/** Each sample line's value by its name and labels as written, e.g. `x_total{source="a"}`. */
function samples (text: string): Map<string, number> {
  const values = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const cut = line.lastIndexOf(' ')
    values.set(line.slice(0, cut), Number(line.slice(cut + 1)))
  }
  return values
}

/** Every convention promtool checks that a test can state: HELP and TYPE for each metric, `_total` on counters only. */
function conventionProblems (text: string): string[] {
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(match => [match[1]!, match[2]!]))
  const helped = new Set([...text.matchAll(/^# HELP (\S+) \S/gm)].map(match => match[1]!))
  const problems: string[] = []
  for (const [name, type] of types) {
    if (!helped.has(name)) problems.push(`${name} has no HELP`)
    if (type === 'counter' && !name.endsWith('_total')) problems.push(`counter ${name} does not end in _total`)
    if (type !== 'counter' && name.endsWith('_total')) problems.push(`${type} ${name} ends in _total`)
  }
  return problems
}

t.test('from startup: conventional names, build info, and every per-source series at 0', async t => {
  const service = await startTestService(t, [studio, backup], { cache: false })
  const response = await service.get('/metrics')
  t.equal(response.status, 200)
  t.same(conventionProblems(response.text), [])
  const names = [...response.text.matchAll(/^# TYPE (\S+) /gm)].map(match => match[1]!)
  t.same(names.filter(name => !name.startsWith('usage_service_')), [], 'every metric of the service carries its prefix')

  const values = samples(response.text)
  t.equal(values.get(`usage_service_build_info{version="${VERSION}",node_version="${process.version}",commit="unknown"}`), 1)
  for (const completeness of ['complete', 'incomplete', 'failed']) {
    t.equal(values.get(`usage_service_answers_total{completeness="${completeness}"}`), 0, completeness)
  }
  for (const source of ['studio', 'backup']) {
    const labels = `source="${source}",kind="${KIND}"`
    for (const outcome of CALL_OUTCOMES) t.equal(values.get(`usage_service_upstream_calls_total{${labels},outcome="${outcome}"}`), 0, `${source} ${outcome}`)
    for (const result of CACHE_LOOKUP_RESULTS) t.equal(values.get(`usage_service_cache_lookups_total{${labels},result="${result}"}`), 0, `${source} ${result}`)
    t.equal(values.get(`usage_service_upstream_retries_total{${labels}}`), 0)
    t.equal(values.get(`usage_service_upstream_throttled_total{${labels}}`), 0)
    t.equal(values.get(`usage_service_upstream_call_duration_seconds_count{${labels}}`), 0)
  }
})

t.test('answers are counted by completeness; a refused query is not an answer', async t => {
  const service = await startTestService(t, [studio, backup], { cache: false })
  const simulator = service.simulators.studio!
  const answers = async () => {
    const values = samples((await service.get('/metrics')).text)
    return ['complete', 'incomplete', 'failed'].map(completeness => values.get(`usage_service_answers_total{completeness="${completeness}"}`))
  }

  t.equal((await service.getUsage(QUERY)).json.complete, true)
  t.same(await answers(), [1, 0, 0])

  simulator.faults.inject({ kind: 'server-error', status: 503 })
  t.equal((await service.getUsage(QUERY)).json.complete, false)
  t.same(await answers(), [1, 1, 0])

  simulator.faults.inject({ kind: 'server-error', status: 503 })
  t.equal((await service.get(QUERY + '&strict=true')).status, 502)
  t.same(await answers(), [1, 1, 1], 'strict=true turned an incomplete answer into an error answer')

  t.equal((await service.get('/usage?from=2026-11-03&to=2026-11-01')).status, 400)
  t.equal((await service.get('/usage?from=2026-11-01&to=2026-11-03&source=nobody')).status, 400)
  t.same(await answers(), [1, 1, 1])

  const values = samples((await service.get('/metrics')).text)
  t.equal(values.get(`usage_service_upstream_calls_total{source="studio",kind="${KIND}",outcome="server"}`), 2)
  t.equal(values.get(`usage_service_upstream_calls_total{source="backup",kind="${KIND}",outcome="ok"}`), 0, 'a source not asked is still there, at 0')
})

t.test('every answer given is counted: one repeated in the same second (served as kept bytes) and a 304 included', async t => {
  // A fixed clock: every request falls in the same second, and the cache lets the service keep the rendered answer.
  const service = await startTestService(t, [studio])
  const answers = async () => {
    const values = samples((await service.get('/metrics')).text)
    return ['complete', 'incomplete', 'failed'].map(completeness => values.get(`usage_service_answers_total{completeness="${completeness}"}`))
  }
  const first = await service.getUsage(QUERY)
  t.equal(first.json.complete, true)
  const repeated = await service.getUsage(QUERY)
  t.same([repeated.json.sources[0]?.calls, repeated.json.sources[0]?.cachedCalls], [0, 1], 'the repeat came from the cache')
  const notModified = await service.get(QUERY, { 'if-none-match': String(first.headers.etag) })
  t.equal(notModified.status, 304)
  t.same(await answers(), [3, 0, 0])
})

t.test('the real server, process metrics included, passes promtool check metrics', async t => {
  const server = spawnServer(t, { PORT: '0', USAGE_BUILD_COMMIT: '0123abc' })
  const listening = await server.waitFor(line => /^Server listening at /.test(line.msg ?? ''))
  const url = listening.msg!.replace('Server listening at ', '')
  const usage = await request(url + '/usage?from=2026-11-01&to=2026-11-03')
  await usage.body.dump()
  t.equal(usage.statusCode, 200)
  const text = await (await request(url + '/metrics')).body.text()
  t.same(conventionProblems(text), [])
  t.match(text, /^nodejs_active_handles\{/m, 'process metrics are there')
  t.match(text, new RegExp(`^usage_service_build_info\\{version="${VERSION}",node_version="${process.version}",commit="0123abc"\\} 1$`, 'm'))
  server.child.kill('SIGTERM')
  t.same(await server.exited, { code: 0, signal: null })

  // promtool comes with Prometheus (Debian: apt-get install prometheus); scripts/check-metrics.sh installs it in CI.
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
  if (promtool.error !== undefined) {
    t.pass('skipped: promtool is not on PATH, only the conventions above were checked', { skip: true })
    return
  }
  t.equal(promtool.status, 0, promtool.stdout + promtool.stderr)
  t.equal(promtool.stdout + promtool.stderr, '', 'no warning either')
})
