// Child process of ledger-crash.test.ts: writes batches forever until it is killed.
// Usage: crash-writer.ts <USAGE_STORE_URL> <schema>
import { openLedgerStore, parseStoreUrl } from '../../../src/ledger/index.js'
import { CRASH_BATCH_BUCKETS, CRASH_RECORDS_PER_BUCKET, NOVEMBER_FIRST, HOUR, hourlyBuckets } from './ledger-fixtures.js'

const [url, schema] = process.argv.slice(2)
const store = await openLedgerStore({ location: parseStoreUrl(url), schema })
for (let batch = 0; ; batch++) {
  await store.writeSettled({
    sourceId: 'crash',
    variant: 'v',
    fetchedAt: batch,
    requestId: `batch-${batch}`,
    buckets: hourlyBuckets(NOVEMBER_FIRST + batch * CRASH_BATCH_BUCKETS * HOUR, CRASH_BATCH_BUCKETS, CRASH_RECORDS_PER_BUCKET, batch)
  })
  process.stdout.write(`committed ${batch}\n`)
}
