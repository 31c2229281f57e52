/**
 * Every registered kind runs the adapter contract against its simulator: a kind added to the registry without
 * test/providers/<kind with '-' for '.'>/contract-subject.ts and contract.test.ts fails here, not in production.
 */
import { access, readFile } from 'node:fs/promises'
import t from 'tap'
import { ADAPTERS } from '../../src/providers/registry.js'
import { SIMULATOR_STARTERS, hasSimulator } from '../../src/simulators/registry.js'
import type { SourceAdapter } from '../../src/usage/source-adapter.js'
import { fakeAdapter } from '../support/fake-adapter.js'
import type { ContractSubject } from './contract.js'

/** Why each adapter is not covered by the contract; empty when all are. */
async function contractProblems (adapters: ReadonlyArray<SourceAdapter<unknown>>): Promise<string[]> {
  const problems: string[] = []
  for (const adapter of adapters) {
    const folder = new URL(`./${adapter.kind.replaceAll('.', '-')}/`, import.meta.url)
    const subjectFile = new URL('contract-subject.ts', folder)
    const testFile = new URL('contract.test.ts', folder)
    if (!await exists(subjectFile) || !await exists(testFile)) {
      problems.push(`${adapter.kind}: no ${subjectFile.pathname.split('/test/').at(-1)} and contract.test.ts beside it`)
      continue
    }
    const { contractSubject } = await import(subjectFile.href) as { contractSubject?: ContractSubject }
    if (contractSubject?.adapter !== adapter) problems.push(`${adapter.kind}: contract-subject.ts does not export the registered adapter as contractSubject`)
    else if (contractSubject.startSimulator !== (hasSimulator(adapter.kind) ? SIMULATOR_STARTERS[adapter.kind] : undefined)) {
      problems.push(`${adapter.kind}: the contract does not run against the kind's registered simulator`)
    }
    if (!(await readFile(testFile, 'utf8')).includes('await runAdapterContract(t, contractSubject)')) {
      problems.push(`${adapter.kind}: contract.test.ts does not run the contract with its subject`)
    }
  }
  return problems
}

async function exists (file: URL): Promise<boolean> {
  return await access(file).then(() => true, () => false)
}

t.test('every registered kind has a contract test that runs the shared contract with that adapter', async t => {
  t.same(await contractProblems(ADAPTERS), [])
})

t.test('a registered kind without contract coverage is reported', async t => {
  const uncovered = fakeAdapter({ kind: 'fake.uncovered' })
  t.match(await contractProblems([...ADAPTERS, uncovered]), [/^fake\.uncovered: no providers\/fake-uncovered\/contract-subject\.ts/])
  const impostor = { ...ADAPTERS[0]! }
  t.match(await contractProblems([impostor]), [/does not export the registered adapter/], 'a subject must be the registered adapter itself')
})
