/**
 * An HTTP proxy in front of a simulated provider that can hold every request until released: a test decides when
 * an upstream call answers, without guessing a latency, and sees how many calls were held.
 */
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HoldingProxy {
  url: string
  /** Requests held right now. */
  readonly held: number
  hold(): void
  /** Forwards what was held and everything after. */
  release(): void
  close(): Promise<void>
}

export async function startHoldingProxy (target: string): Promise<HoldingProxy> {
  const upstream = new URL(target)
  let holding = false
  let waiting: Array<() => void> = []
  const server = createServer((incoming, outgoing) => {
    const forward = (): void => {
      // A caller gone while its request was held (a process killed) sends nothing: the provider never sees it.
      if (incoming.socket.destroyed) return
      // Headers as sent, Host included: the signature the provider checks may cover it.
      const proxied = httpRequest({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, answer => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(outgoing)
      })
      proxied.on('error', () => { outgoing.destroy() })
      incoming.pipe(proxied)
    }
    if (holding) waiting.push(forward)
    else forward()
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get held () { return waiting.length },
    hold: () => { holding = true },
    release: () => {
      holding = false
      const forwarding = waiting
      waiting = []
      for (const forward of forwarding) forward()
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}
