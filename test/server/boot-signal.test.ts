/**
 * A signal while the service is still starting (the embedded simulators are being started) is logged, and the
 * process closes what it has started and exits 0, instead of dying silently of the signal.
 */
import t from 'tap'
import { spawnServer } from '../support/child-server.js'

t.test('SIGTERM while the runtime is still being built: logged, and a clean exit before listening', async t => {
  const { exited, lines, stderr } = spawnServer(t, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, ['./test/support/sigterm-at-first-listen.mjs'])
  const { code, signal } = await exited
  t.same({ code, signal }, { code: 0, signal: null }, `a clean exit, not killed by the signal (stderr: ${stderr()})`)
  t.match(lines.find(line => line.msg?.startsWith('shutting down')), { signal: 'SIGTERM', starting: true }, 'the signal is logged')
  t.ok(lines.some(line => line.msg === 'shut down cleanly'), 'the simulators already started are closed', { found: lines })
  t.same(lines.filter(line => /^Server listening at /.test(line.msg ?? '')), [], 'the app never listened')
})
