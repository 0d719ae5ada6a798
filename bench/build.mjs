/**
 * Compiles the benchmarks (`bench/*.ts`, `packages/core/bench/*.ts`) to plain
 * JavaScript in `.bench/` at the repository root, keeping their relative
 * layout, so that `node .bench/bench/index.js` runs them as built code: the
 * packages they import resolve to their `dist` (the default export
 * condition, no `@unified-people/source`), and no TypeScript loader runs in
 * any measured process. `npm run bench` builds the packages (`npm run build`),
 * runs this, then the compiled `bench/index.js`.
 *
 * Type-only transpilation (TypeScript's `transpileModule`): the type check is
 * `npm run typecheck`'s.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"
import ts from "typescript"

const root = Path.resolve(Path.dirname(Url.fileURLToPath(import.meta.url)), "..")
const out = Path.join(root, ".bench")
const sources = ["bench", "packages/core/bench"]

let count = 0
for (const dir of sources) {
  for (const name of Fs.readdirSync(Path.join(root, dir))) {
    if (!name.endsWith(".ts") || name.endsWith(".d.ts") || name.endsWith(".tmp.ts")) continue
    const file = Path.join(root, dir, name)
    const { outputText } = ts.transpileModule(Fs.readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: false,
        sourceMap: false
      }
    })
    const target = Path.join(out, dir, name.replace(/\.ts$/, ".js"))
    Fs.mkdirSync(Path.dirname(target), { recursive: true })
    Fs.writeFileSync(target, outputText)
    count++
  }
}
// the compiled files are ES modules: say so to Node wherever they are
Fs.writeFileSync(Path.join(out, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`)
process.stdout.write(`bench: ${count} files compiled to ${Path.relative(process.cwd(), out) || "."}/\n`)
