/**
 * Preloaded into a child server (node --import): the first server to start listening once the service has
 * installed its SIGTERM handler, an embedded simulator while the runtime is still being built, sends SIGTERM to
 * its own process and starts listening only once the process has handled that signal. So the service has seen
 * the signal at a known point of the boot, before the runtime it is building is finished, whatever the machine's
 * load: a signal is delivered on a later turn of the event loop, and a boot that never waits for I/O (Node 26's
 * loader, loopback listens that answer on the next tick) could otherwise reach the app's own listen first.
 * Servers that listen earlier (newer Node versions' module loaders start one before the entry point runs) are
 * let through: a signal then would test Node's default handler, not the service's. Plain JavaScript: it is loaded
 * before any TypeScript loader could be asked to compile it.
 */
import http from 'node:http'

const listen = http.Server.prototype.listen
let sent = false
http.Server.prototype.listen = function (...args) {
  if (sent || process.listenerCount('SIGTERM') === 0) return listen.apply(this, args)
  sent = true
  // Signal handles do not keep Node's event loop alive: with this listen held back there may be nothing else
  // that does, and the process would end before the signal is read. This handle does until then.
  const keepAlive = setInterval(() => {}, 2 ** 30)
  // Added after the service's own handler, so it runs after it: the service has recorded the signal by then.
  process.once('SIGTERM', () => {
    clearInterval(keepAlive)
    listen.apply(this, args)
  })
  process.kill(process.pid, 'SIGTERM')
  return this
}
