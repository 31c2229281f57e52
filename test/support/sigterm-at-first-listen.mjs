/**
 * Preloaded into a child server (node --import): the first server to start listening in the process, an
 * embedded simulator while the runtime is still being built, sends SIGTERM to its own process. So the signal
 * arrives at a known point of the boot, long before the app listens. Plain JavaScript: it is loaded before any
 * TypeScript loader could be asked to compile it.
 */
import http from 'node:http'

const listen = http.Server.prototype.listen
let sent = false
http.Server.prototype.listen = function (...args) {
  if (!sent) {
    sent = true
    process.kill(process.pid, 'SIGTERM')
  }
  return listen.apply(this, args)
}
