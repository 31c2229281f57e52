/**
 * Preloaded into a child server (node --import): the first server to start listening once the service has
 * installed its SIGTERM handler, an embedded simulator while the runtime is still being built, sends SIGTERM to
 * its own process. So the signal arrives at a known point of the boot, long before the app listens. Servers that
 * listen earlier (newer Node versions' module loaders start one before the entry point runs) are let through:
 * a signal then would test Node's default handler, not the service's. Plain JavaScript: it is loaded before any
 * TypeScript loader could be asked to compile it.
 */
import http from 'node:http'

const listen = http.Server.prototype.listen
let sent = false
http.Server.prototype.listen = function (...args) {
  if (!sent && process.listenerCount('SIGTERM') > 0) {
    sent = true
    process.kill(process.pid, 'SIGTERM')
  }
  return listen.apply(this, args)
}
