// The explorer's page files are not TypeScript, so tsc leaves them out of dist/: the build copies them beside the
// compiled route (dist/explorer/public), where it reads them exactly as it reads src/explorer/public from source.
// The benchmark compiles the service elsewhere (bench/.build/src) and passes that folder.
import { cpSync, rmSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const target = new URL(`${process.argv[2] ?? 'dist'}/explorer/public/`, root)
rmSync(target, { recursive: true, force: true })
cpSync(new URL('src/explorer/public/', root), target, { recursive: true })
