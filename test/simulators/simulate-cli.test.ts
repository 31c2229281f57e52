/**
 * `npm run simulate` as a user starts it (src/simulators/simulate-cli.ts in a process of its own, from source): the
 * sources file it writes names one simulator per kind on loopback, and with --stats-port the calls each simulator
 * logged are read over a loopback port of their own, read-only, while no provider port answers that path.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { SourceEntry } from '../../src/config/sources-file.js'
import { SIMULATED_KINDS, SIMULATOR_RECORDS_PATH, type SimulatorCall } from '../../src/simulators/index.js'
import { spawnEntryPoint } from '../support/child-server.js'

// One process compiles and boots from source, which takes a while on a loaded machine.
t.setTimeout(120_000)

t.test('simulate-cli writes a sources file and serves the simulators\' records on a loopback port of its own', async t => {
  const directory = mkdtempSync(join(tmpdir(), 'usage-simulate-cli-'))
  t.teardown(() => { rmSync(directory, { recursive: true, force: true }) })
  const sourcesPath = join(directory, 'sources.json')
  const simulate = spawnEntryPoint(t, {
    entry: 'src/simulators/simulate-cli.ts',
    args: ['--port-base', '0', '--stats-port', '0', '--write', sourcesPath],
    env: { USAGE_SIMULATED_ACCESS_KEY_ID: 'SIMULATEDCLITEST', USAGE_SIMULATED_ACCESS_KEY_SECRET: 'simulate-cli-test-secret' },
    lines: 'stderr'
  })
  await simulate.waitFor(line => String(line.msg).startsWith('simulated providers listening: '))
  t.notOk(simulate.stderr().includes('simulate-cli-test-secret'), 'an account given in the environment is not printed')
  const recordsLine = simulate.lines.find(line => String(line.msg).startsWith('simulator records: '))
  t.ok(recordsLine, 'the records URL is printed')
  const recordsUrl = new URL(String(recordsLine?.msg).replace('simulator records: ', ''))
  t.equal(recordsUrl.hostname, '127.0.0.1', 'on loopback')
  t.equal(recordsUrl.pathname, SIMULATOR_RECORDS_PATH)

  const sources = (JSON.parse(readFileSync(sourcesPath, 'utf8')) as { sources: SourceEntry[] }).sources
  t.same(sources.map(source => source.kind), SIMULATED_KINDS, 'one source per simulated kind')
  const ports = sources.map(source => new URL(source.endpoint!).port)
  t.equal(new Set([...ports, recordsUrl.port]).size, sources.length + 1, 'each on a port of its own, apart from the records')

  const read = async (query = ''): Promise<Record<string, SimulatorCall[]>> => await (await fetch(recordsUrl.href + query)).json() as Record<string, SimulatorCall[]>
  t.same(await read(), Object.fromEntries(SIMULATED_KINDS.map(kind => [kind, []])), 'nothing logged before any call')

  // An unsigned call: refused by the gateway, and logged like any other.
  const ims = sources.find(source => source.kind === 'aliyun.ims')!
  const refused = await fetch(`${ims.endpoint!}/?Action=DescribeMeterImsEditUsage&AccessKeyId=SIMULATEDCLITEST`)
  t.ok(refused.status >= 400, 'the provider refuses an unsigned call')
  const logged = await read('?kind=aliyun.ims')
  t.same(Object.keys(logged), ['aliyun.ims'], '?kind= reads one simulator')
  t.match(logged['aliyun.ims'], [{ action: 'DescribeMeterImsEditUsage', accessKeyId: 'SIMULATEDCLITEST', admitted: false, status: refused.status }], 'the call, as the simulator logged it')
  t.same((await read())['tencent.mps'], [], 'another simulator saw nothing')

  t.equal((await fetch(recordsUrl.href, { method: 'POST' })).status, 405, 'read-only')
  t.equal((await fetch(recordsUrl.href + '?kind=nothing.here')).status, 404, 'an unknown kind')
  t.equal((await fetch(new URL('/', recordsUrl))).status, 404, 'nothing else served')
  const providerPath = await fetch(ims.endpoint! + SIMULATOR_RECORDS_PATH)
  t.ok(providerPath.status >= 400, `a provider port does not serve the records: it refuses the path as a provider would (${providerPath.status})`)
  t.equal((await read('?kind=aliyun.ims'))['aliyun.ims']!.length, 2, 'it logged that call as any other, as a provider would see it')

  simulate.child.kill('SIGTERM')
  t.match(await simulate.exited, { code: 0 }, 'SIGTERM closes the simulators and the records port and exits 0')
})
