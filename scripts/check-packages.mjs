#!/usr/bin/env node
// Checks the packages as a stranger installs them (part of `npm test`):
// 1. builds them (`tsc -b`), packs each tarball, and checks that no build info is in it;
// 2. publint (strict) and @arethetypeswrong/cli (ESM only: the packages are ESM only, on purpose);
// 3. a consumer: a throwaway project with another Effect 3 version already installed installs the
//    tarballs, gets exactly one copy of `effect`, and a plain `.mjs` uses the Promise API and catches
//    `NotFound` with `instanceof`.
// `--skip-consumer` leaves step 3 out (it needs the npm registry).
import { execFileSync } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const packages = ["core", "ringcentral", "people-contacts", "testkit", "server", "cli"]
const consumerEffect = { effect: "3.22.2", "@effect/platform": "0.97.2", "@effect/platform-node": "0.108.2", "@effect/sql": "0.52.1" }
const npm = process.platform === "win32" ? "npm.cmd" : "npm"
const npx = process.platform === "win32" ? "npx.cmd" : "npx"

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", ...options })
const step = (text) => console.log(`check-packages: ${text}`)
const fail = (text) => {
  console.error(`check-packages: FAILED: ${text}`)
  process.exit(1)
}
const attempt = (what, f) => {
  try {
    return f()
  } catch (error) {
    fail(`${what}\n${error.stdout ?? ""}${error.stderr ?? ""}${error.stdout === undefined ? String(error) : ""}`)
  }
}

step("building (from clean: no stale output reaches a tarball)")
for (const name of packages) fs.rmSync(path.join(root, "packages", name, "dist"), { recursive: true, force: true })
attempt("npm run build", () => run(npm, ["run", "build"], { cwd: root }))

const packs = fs.mkdtempSync(path.join(os.tmpdir(), "up-packs-"))
const tarballs = packages.map((name) => {
  const dir = path.join(root, "packages", name)
  attempt(`publint ${name}`, () => {
    const out = run(npx, ["publint", "--strict", dir], { cwd: root })
    if (/error|warning/i.test(out.replace(/Suggestions:[\s\S]*/, ""))) throw Object.assign(new Error(out), { stdout: out })
  })
  const file = attempt(`npm pack ${name}`, () => run(npm, ["pack", "--pack-destination", packs, "--silent"], { cwd: dir }).trim().split("\n").pop())
  const tarball = path.join(packs, file)
  const listing = run("tar", ["tzf", tarball])
  if (/tsbuildinfo/.test(listing)) fail(`${name}: the tarball holds build info`)
  if (!/package\/LICENSE/.test(listing) || !/package\/README\.md/.test(listing)) fail(`${name}: the tarball lacks LICENSE or README.md`)
  attempt(`attw ${name}`, () => run(npx, ["attw", tarball, "--profile", "esm-only", "--format", "ascii"], { cwd: root }))
  return tarball
})
step(`publint and attw (esm-only) pass for ${packages.length} packages; no build info in the tarballs`)

if (process.argv.includes("--skip-consumer")) process.exit(0)

const consumer = fs.mkdtempSync(path.join(os.tmpdir(), "up-consumer-"))
fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2))
const install = (args) =>
  attempt(`npm install ${args.join(" ")}`, () =>
    run(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", ...args], { cwd: consumer }))
install(Object.entries(consumerEffect).map(([name, version]) => `${name}@${version}`))
install(tarballs)
const copies = run(npm, ["ls", "effect", "--all", "--parseable"], { cwd: consumer }).trim().split("\n").filter((line) => line !== "")
const unique = [...new Set(copies)]
if (unique.length !== 1) fail(`expected one copy of effect, found ${unique.length}:\n${unique.join("\n")}`)
const installed = JSON.parse(fs.readFileSync(path.join(unique[0], "package.json"), "utf8")).version
if (installed !== consumerEffect.effect) fail(`the consumer's effect ${consumerEffect.effect} was replaced by ${installed}`)
step(`a consumer with effect ${installed} installed the tarballs: one copy of effect`)

fs.writeFileSync(
  path.join(consumer, "consumer.mjs"),
  `import http from "node:http"
import { PromiseApi } from "@unified-people/cli"
import { NotFound } from "@unified-people/core/PeopleError"

// a People system that knows nobody
const server = http.createServer((req, res) => {
  res.writeHead(404, { "content-type": "application/json" })
  res.end(JSON.stringify({ message: "Not Found" }))
})
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
const base = \`http://127.0.0.1:\${server.address().port}\`
const up = await PromiseApi.connect({
  env: {
    RINGCENTRAL_SERVER_URL: base,
    RINGCENTRAL_CLIENT_ID: "id",
    RINGCENTRAL_CLIENT_SECRET: "secret",
    RINGCENTRAL_JWT: "jwt",
    PEOPLE_CONTACTS_BASE_URL: \`\${base}/v1\`,
    PEOPLE_CONTACTS_TOKEN: "token",
    PEOPLE_CONTACTS_ACCOUNT: "account"
  }
})
let code = 1
try {
  await up.people.get("999")
  console.error("found someone who does not exist")
} catch (error) {
  if (error instanceof NotFound) {
    console.log(\`caught NotFound with instanceof: \${error.message}\`)
    code = 0
  } else {
    console.error("not a NotFound:", error)
  }
} finally {
  await up.close()
  server.close()
}
process.exit(code)
`
)
const out = attempt("the consumer's .mjs", () => run(process.execPath, ["consumer.mjs"], { cwd: consumer }))
step(`a plain .mjs used the Promise API: ${out.trim()}`)
fs.rmSync(consumer, { recursive: true, force: true })
fs.rmSync(packs, { recursive: true, force: true })
