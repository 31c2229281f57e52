/** Shared by the GRTN adapter tests: a simulator on loopback and the adapter's fetch called against it directly. */
import type { Test } from 'tap'
import { fixedClock } from '../../../src/clock.js'
import { createUpstreamHttp, type UpstreamHttp } from '../../../src/http/upstream-http.js'
import { GRTN_HOURLY, liveGrtnAdapter, type LiveGrtnSettings } from '../../../src/providers/aliyun-live-grtn/grtn-adapter.js'
import type { GrtnCallParameters } from '../../../src/providers/aliyun-live-grtn/grtn-variants.js'
import type { RunningSimulator } from '../../../src/simulators/index.js'
import { startLiveGrtnSimulator } from '../../../src/simulators/aliyun-live-grtn/grtn-simulator.js'
import type { NativeGrid, TimeRange } from '../../../src/time/index.js'
import type { CallVariant, FetchResult, SourceConfig } from '../../../src/usage/source-adapter.js'
import { TEST_ACCOUNT, TEST_NOW } from '../../support/test-service.js'

export const NOW = TEST_NOW

export function grtnSource (endpoint: string, overrides: { secret?: string, settings?: Record<string, unknown> } = {}): SourceConfig<LiveGrtnSettings> {
  return {
    id: 'grtn-test',
    kind: liveGrtnAdapter.kind,
    endpoint,
    qps: 10,
    concurrency: 4,
    credentials: { accessKeyId: TEST_ACCOUNT.accessKeyId, accessKeySecret: overrides.secret ?? TEST_ACCOUNT.accessKeySecret },
    simulated: true,
    settings: liveGrtnAdapter.settingsSchema.parse(overrides.settings ?? {})
  }
}

export interface DirectFetch {
  simulator: RunningSimulator
  fetch(call: { window: TimeRange, grid?: NativeGrid, variant?: CallVariant<GrtnCallParameters> }, options?: { secret?: string, http?: UpstreamHttp }): Promise<FetchResult>
}

/** A simulator at the test clock, and the adapter's fetch against it with real HTTP and real signing. */
export async function startDirect (t: Test): Promise<DirectFetch> {
  const clock = fixedClock(NOW)
  const simulator = await startLiveGrtnSimulator({ accounts: [TEST_ACCOUNT], clock, qps: 1000 })
  const http = createUpstreamHttp({ timeoutMs: 5_000 })
  t.teardown(async () => {
    await http.close()
    await simulator.close()
  })
  return {
    simulator,
    fetch: (call, options = {}) => {
      const grid = call.grid ?? GRTN_HOURLY
      const variant: CallVariant<GrtnCallParameters> = call.variant ?? { parameters: { regionId: 'cn-shanghai' }, dimensions: {} }
      return liveGrtnAdapter.fetch(
        { window: call.window, grid, variant, key: JSON.stringify([call.window, grid.stepMs, variant.parameters]) },
        { source: grtnSource(simulator.url, { secret: options.secret }), http: options.http ?? http, clock, signal: new AbortController().signal }
      )
    }
  }
}

export const sumValues = (records: ReadonlyArray<{ value: number }>): number => records.reduce((sum, record) => sum + record.value, 0)
