import { liveGrtnAdapter } from '../../../src/providers/aliyun-live-grtn/grtn-adapter.js'
import { grtnTotalMinutes, startLiveGrtnSimulator } from '../../../src/simulators/aliyun-live-grtn/grtn-simulator.js'
import { TEST_NOW } from '../../support/test-service.js'
import type { ContractSubject } from '../contract.js'

// Days in Asia/Kolkata start at 18:30 UTC: the contract runs on the 5-minute grid, the one only this kind has.
export const contractSubject: ContractSubject = {
  adapter: liveGrtnAdapter,
  startSimulator: startLiveGrtnSimulator,
  granularity: 'day',
  zone: 'Asia/Kolkata',
  truth: range => grtnTotalMinutes({ ...range, now: TEST_NOW }) * 60,
  freeTextDimension: { groupBy: 'mediaProfile' }
}
