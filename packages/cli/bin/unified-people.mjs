#!/usr/bin/env node
// The `unified-people` command. A published package runs its built code
// (dist/bin.js). In a checkout where nothing was built yet (right after
// `npm ci`), it runs the TypeScript sources in this same process: a resolve
// hook picks the workspace packages' `@unified-people/source` export condition
// and tsx compiles on the fly.
import { existsSync } from "node:fs"
import { register } from "node:module"

const built = new URL("../dist/bin.js", import.meta.url)
if (existsSync(built)) {
  await import(built.href)
} else {
  const hook = `export const resolve = (specifier, context, next) =>
    next(specifier, { ...context, conditions: [...context.conditions, "@unified-people/source"] })`
  register(`data:text/javascript,${encodeURIComponent(hook)}`)
  const { register: registerTsx } = await import("tsx/esm/api")
  registerTsx()
  await import(new URL("../src/bin.ts", import.meta.url).href)
}
