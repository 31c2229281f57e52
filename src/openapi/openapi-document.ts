/** The OpenAPI document, generated from the route schemas. It does not depend on which sources are configured. */
import { buildApp } from '../app.js'
import { fixedClock } from '../clock.js'

export async function generateOpenApiDocument (): Promise<string> {
  const app = await buildApp({ sources: [], clock: fixedClock(0), limits: { maxBuckets: 1 }, requestTimeoutMs: 1 })
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
  }
}
