/**
 * Every source kind that has a simulator, and the one way to start one: the embedded default, the tests and the
 * bench all start simulators through here. A simulator for a new kind is one folder next to the others and one line.
 */
import { startImsSimulator } from './aliyun-ims/ims-simulator.js'
import { startLiveGrtnSimulator } from './aliyun-live-grtn/grtn-simulator.js'
import { startLiveProducerSimulator } from './aliyun-live-producer/live-producer-simulator.js'
import type { RunningSimulator, SimulatorStartOptions } from './shared/simulator-server.js'
import { startTencentMpsSimulator } from './tencent-mps/tencent-mps-simulator.js'

export type SimulatorStarter = (options: SimulatorStartOptions) => Promise<RunningSimulator>

/** Kind → starter, in the order the embedded default lists its sources. */
export const SIMULATOR_STARTERS = {
  'aliyun.live-producer': startLiveProducerSimulator,
  'aliyun.live-grtn': startLiveGrtnSimulator,
  'aliyun.ims': startImsSimulator,
  'tencent.mps': startTencentMpsSimulator
} as const satisfies Record<string, SimulatorStarter>

export type SimulatedKind = keyof typeof SIMULATOR_STARTERS

export const SIMULATED_KINDS = Object.keys(SIMULATOR_STARTERS) as SimulatedKind[]

export function hasSimulator (kind: string): kind is SimulatedKind {
  return Object.hasOwn(SIMULATOR_STARTERS, kind)
}

export async function startSimulator (kind: SimulatedKind, options: SimulatorStartOptions): Promise<RunningSimulator> {
  return await SIMULATOR_STARTERS[kind](options)
}
