// The explorer's page files are not TypeScript, so tsc leaves them out of dist/: the build copies them beside the
// compiled route (dist/explorer/public), where it reads them exactly as it reads src/explorer/public from source.
import { cpSync, rmSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const target = new URL('dist/explorer/public/', root)
rmSync(target, { recursive: true, force: true })
cpSync(new URL('src/explorer/public/', root), target, { recursive: true })
