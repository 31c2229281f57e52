/**
 * `npm run openapi` writes openapi/openapi.json; `npm run openapi:check` fails when the checked-in
 * copy differs from what the schemas generate, so the published contract cannot drift from the code.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { generateOpenApiDocument } from './openapi-document.js'

const target = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url))

async function main (mode: string | undefined): Promise<number> {
  const generated = await generateOpenApiDocument()
  if (mode === 'write') {
    await writeFile(target, generated)
    process.stdout.write(`wrote ${target}\n`)
    return 0
  }
  if (mode === 'check') {
    const checkedIn = await readFile(target, 'utf8').catch(() => '')
    if (checkedIn === generated) {
      process.stdout.write('openapi/openapi.json is up to date\n')
      return 0
    }
    process.stderr.write('openapi/openapi.json is stale: run `npm run openapi` and commit the result\n')
    return 1
  }
  process.stderr.write('usage: openapi-cli write|check\n')
  return 2
}

main(process.argv[2]).then(code => { process.exitCode = code }, error => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exitCode = 1
})
