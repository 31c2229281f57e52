/**
 * A sources file (USAGE_SOURCES_FILE format) for simulated providers running in a process of their own, so that
 * several replicas can share one set of them. The account's key pair is named by environment variable, like any
 * sources file's: every replica and the simulators must be given the same values.
 */
import type { SourceConfig } from '../usage/source-adapter.js'
import type { SourceEntry } from './sources-file.js'

export const SIMULATED_CREDENTIAL_VARIABLES = {
  accessKeyIdEnv: 'USAGE_SIMULATED_ACCESS_KEY_ID',
  accessKeySecretEnv: 'USAGE_SIMULATED_ACCESS_KEY_SECRET'
} as const

/** `endpointHost`: the name the replicas reach the simulators by (a compose service name), instead of loopback. */
export function simulatedSourcesFile (sources: readonly SourceConfig[], endpointHost?: string): { sources: SourceEntry[] } {
  return {
    sources: sources.map(source => {
      const endpoint = new URL(source.endpoint)
      if (endpointHost !== undefined) endpoint.hostname = endpointHost
      return { id: source.id, kind: source.kind, credentials: { ...SIMULATED_CREDENTIAL_VARIABLES }, endpoint: endpoint.origin, simulated: true }
    })
  }
}
