import t from 'tap'
import { forEachBackend } from './support/ledger-backends.js'
import { ledgerStoreContract } from './ledger-store-contract.js'

forEachBackend(t, {}, ledgerStoreContract)
