import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { loadConfig } from '../../src/config/load-config.js'
import { createRuntime } from '../../src/runtime.js'

const credentials = { accessKeyIdEnv: 'STUDIO_AK_ID', accessKeySecretEnv: 'STUDIO_AK_SECRET' }
const other = { accessKeyIdEnv: 'OTHER_AK_ID', accessKeySecretEnv: 'OTHER_AK_SECRET' }

t.test('the runtime makes one budget per account and API from every configured source', async t => {
  const path = join(mkdtempSync(join(tmpdir(), 'usage-budgets-')), 'sources.json')
  writeFileSync(path, JSON.stringify({
    sources: [
      { id: 'studio-shanghai', kind: 'aliyun.live-producer', credentials, qps: 5, settings: { regionId: 'cn-shanghai' } },
      { id: 'studio-beijing', kind: 'aliyun.live-producer', credentials, qps: 3, endpoint: 'https://live.cn-beijing.aliyuncs.com', settings: { regionId: 'cn-beijing' } },
      { id: 'studio-other', kind: 'aliyun.live-producer', credentials: other },
      { id: 'grtn', kind: 'aliyun.live-grtn', credentials }
    ]
  }))
  const config = loadConfig({
    USAGE_SOURCES_FILE: path,
    STUDIO_AK_ID: 'LTAIstudioaccount',
    STUDIO_AK_SECRET: 'studio-secret-value',
    OTHER_AK_ID: 'LTAIotheraccount',
    OTHER_AK_SECRET: 'other-secret-value'
  })
  const runtime = await createRuntime({ config, clock: fixedClock(0), overrides: { ledger: false } })
  t.teardown(() => runtime.close())
  const budget = (id: string) => runtime.budgets.budgetFor(runtime.sources.find(source => source.config.id === id)!.config)
  t.equal(budget('studio-shanghai'), budget('studio-beijing'), 'one account, one API: one budget, whatever the region or endpoint')
  t.match(budget('studio-shanghai'), { qps: 3 }, 'the smallest qps configured for it')
  t.not(budget('studio-other'), budget('studio-shanghai'), 'another account has its own')
  t.not(budget('grtn'), budget('studio-shanghai'), 'another API has its own')
  t.same(runtime.budgets.conflicts.map(conflict => conflict.sources), [['studio-shanghai', 'studio-beijing']], 'and the disagreement is reported for the boot log')
})
