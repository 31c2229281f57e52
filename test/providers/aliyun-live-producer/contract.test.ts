import t from 'tap'
import { runAdapterContract } from '../contract.js'
import { contractSubject } from './contract-subject.js'

await runAdapterContract(t, contractSubject)
