import { imsAdapter } from '../../../src/providers/aliyun-ims/ims-adapter.js'
import { imsTruth, startImsSimulator } from '../../../src/simulators/aliyun-ims/ims-simulator.js'
import { TEST_NOW } from '../../support/test-service.js'
import type { ContractSubject } from '../contract.js'

// Days in Asia/Kolkata start at 18:30 UTC: no native grid would align, IMS accepts any range.
export const contractSubject: ContractSubject = {
  adapter: imsAdapter,
  startSimulator: startImsSimulator,
  granularity: 'day',
  zone: 'Asia/Kolkata',
  truth: range => imsTruth(range, TEST_NOW),
  freeTextDimension: { none: 'a summary day holds a date and fixed usage fields; every dimension is one the adapter names' }
}
