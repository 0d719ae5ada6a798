import { NodeContext } from "@effect/platform-node"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Person from "@unified-people/core/Person"
import { ConfigProvider, Effect, Layer, Schema } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Cli from "../src/Cli.js"
import * as Output from "../src/Output.js"
import { HttpLive, rows, setup, writes } from "./utils.js"

/** Runs the CLI in process with the emulators' configuration; returns the exit code and what it printed. */
const runCli = (configProvider: ConfigProvider.ConfigProvider, ...args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const output = Output.memory()
    const code = yield* Cli.run(["node", "unified-people", ...args]).pipe(
      Effect.withConfigProvider(configProvider),
      Effect.provide(Layer.mergeAll(NodeContext.layer, output.layer))
    )
    return { code, stdout: output.stdout(), stderr: output.stderr() }
  })

const tempState = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "unified-people-cli-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => path.join(dir, "nested", "state.sqlite")))

describe("unified-people CLI", () => {
  it.scopedLive("plan and sync --dry-run print the plan and write nothing; sync writes, then finds the directory unchanged", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 40 })
      // the REST path (--bulk auto would read by export and write these 40 people by import: see BulkSync.test.ts)
      const state = yield* tempState
      const before = rows(env.people)

      const plan = yield* runCli(env.configProvider, "plan", "--state", state, "--quiet", "--bulk", "never")
      expect(plan.code).toBe(0)
      expect(plan.stdout).toMatch(/^Plan \(full, directory version "dir-\d+"\): 40 people read, \d+ to create, 0 to update, 0 to delete/)
      expect(plan.stdout).toMatch(/\n {2}\+ create email work \S+@example\.com on \d+: new in the directory/)
      expect(plan.stdout).toMatch(/\n {2}· skip phone \S+ \+\d+: shared number \(company main\): never projected/)
      expect(plan.stdout).toContain("Dry run (full, complete)")
      expect(plan.stderr).toBe("")
      const toCreate = Number(/(\d+) to create/.exec(plan.stdout)![1])

      const dry = yield* runCli(env.configProvider, "sync", "--dry-run", "--state", state, "--bulk", "never")
      expect(dry.code).toBe(0)
      expect(dry.stdout).toContain(`${toCreate} to create`)
      // progress on stderr: plain lines, ending with the final state
      expect(dry.stderr).toMatch(/\[done\] people: 40 read, 40 planned/)
      expect(writes(env.people)).toEqual([])
      expect(rows(env.people)).toEqual(before)

      const sync = yield* runCli(env.configProvider, "sync", "--state", state, "--concurrency", "6", "--bulk", "never")
      expect(sync.code).toBe(0)
      expect(sync.stdout).toContain(`Planned: ${toCreate} to create`)
      expect(sync.stdout).toMatch(new RegExp(`Sync \\(full, complete\\): 40 read, \\d+ matched, \\d+ unmatched, 0 removed; ${toCreate} created`))
      expect(writes(env.people)).toHaveLength(toCreate)
      expect(fs.existsSync(state)).toBe(true)

      // the state file remembers the directory version: the next run is a 304
      env.people.clearRequests()
      const again = yield* runCli(env.configProvider, "sync", "--state", state, "-q")
      expect(again.code).toBe(0)
      expect(again.stdout).toContain("Directory unchanged since the last run: nothing to do.")
      expect(again.stdout).toContain("calls: source 1, target 0, contacts 0")
      expect(env.people.requests()).toEqual([])

      // --full compares everything again and still writes nothing
      const full = yield* runCli(env.configProvider, "plan", "--state", state, "--full", "-q")
      expect(full.stdout).toMatch(/0 to create, 0 to update, 0 to delete/)
      expect(writes(env.people)).toEqual([])

      // a contact of the job's deleted by hand: a plain run does not look (304), --full repairs it
      const victim = [...env.people.contacts.values()].find((c) => c.integration)!
      env.people.contacts.delete(victim.id)
      const blind = yield* runCli(env.configProvider, "sync", "--state", state, "-q")
      expect(blind.stdout).toContain("Directory unchanged")
      const repaired = yield* runCli(env.configProvider, "sync", "--state", state, "--full", "-q")
      expect(repaired.code).toBe(0)
      expect(repaired.stdout).toMatch(/Planned: 1 to create, 0 to update, 0 to delete/)
      const back = env.people.contactsOf(victim.personId).filter((c) =>
        c.integration && c.label === victim.label && (c.email ?? c.telephone) === (victim.email ?? victim.telephone)
      )
      expect(back).toHaveLength(1)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("merge prints the merged people of both systems as JSON", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 30 })
      const result = yield* runCli(env.configProvider, "merge")
      expect(result.code).toBe(0)
      const people = Schema.decodeUnknownSync(Schema.Array(Person.Person))(JSON.parse(result.stdout))
      const both = people.filter((p) => new Set(p.provenance.map((x) => x.system)).size === 2)
      expect(both).toHaveLength(env.company.matched.size)
      for (const person of both) expect(person.fieldSources?.["contactPoints"]).toBeDefined()
      // its steps, then the summary, on stderr
      expect(result.stderr).toMatch(/^Reading ringcentral…\nReading people-contacts…\nMerging \d+ records…\n/)
      expect(result.stderr).toMatch(/\nMerged \d+ records \(30 from ringcentral, \d+ from people-contacts\) into \d+ people/)

      // a file of people merges with a system
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "unified-people-merge-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
      const file = path.join(dir, "people.json")
      fs.writeFileSync(file, result.stdout)
      const again = yield* runCli(env.configProvider, "merge", "--file", file, "--source", "ringcentral", "--priority", "people-contacts,ringcentral")
      expect(again.code).toBe(0)
      expect(Schema.decodeUnknownSync(Schema.Array(Person.Person))(JSON.parse(again.stdout))).toHaveLength(people.length)
      expect(again.stderr).toContain("source priority: people-contacts > ringcentral")

      fs.writeFileSync(file, "[{\"id\": 1}]")
      const broken = yield* runCli(env.configProvider, "merge", "--file", file)
      expect(broken.code).toBe(1)
      expect(broken.stderr).toMatch(/^Error: cannot read people from .*people\.json: /)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("actions the People system refuses are listed, the exit code is 3 (partial), and the next run completes the job", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 20 })
      const state = yield* tempState
      yield* env.people.faults.inject({
        fault: { _tag: "Status", status: 422, body: { message: "Validation Failed", errors: [["telephone", "is invalid"]] } },
        method: "POST",
        skip: 3,
        times: 1
      })
      const refused = yield* runCli(env.configProvider, "sync", "--state", state, "-q")
      expect(refused.code).toBe(3)
      expect(refused.stdout).toMatch(/\n {2}! create \w+ \w+ \S+ on \d+ \(\d+\): people-contacts\.createContact: .*telephone.*is invalid/)
      expect(refused.stdout).toContain("1 failed")
      expect(refused.stdout).toContain("! 1 failure(s) on 1 people")
      expect(refused.stdout).toMatch(/Sync \(full, partial\)/)
      expect(refused.stderr).toBe("")

      const next = yield* runCli(env.configProvider, "sync", "--state", state, "-q")
      expect(next.code).toBe(0)
      expect(next.stdout).toMatch(/Planned: 1 to create, 0 to update, 0 to delete/)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("errors are printed as secret-free messages with a non-zero exit code", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 10 })
      const state = yield* tempState
      const withEnv = (overrides: Record<string, string | undefined>) => {
        const map = new Map(Object.entries({ ...env.env, ...overrides }).filter((e): e is [string, string] => e[1] !== undefined))
        return ConfigProvider.fromMap(map, { pathDelim: "_" })
      }

      const missing = yield* runCli(withEnv({ PEOPLE_CONTACTS_TOKEN: undefined }), "plan", "--state", state, "-q")
      expect(missing.code).toBe(1)
      // the message names the variable to set, and nothing else
      expect(missing.stderr).toBe("Error: missing environment variable: PEOPLE_CONTACTS_TOKEN\n")
      const invalid = yield* runCli(withEnv({ UNIFIED_PEOPLE_RATE_LIMIT_SCALE: "fast" }), "plan", "--state", state, "-q")
      expect(invalid.stderr).toMatch(/^Error: invalid environment variable: UNIFIED_PEOPLE_RATE_LIMIT_SCALE \(.+\)\n$/)
      const none = yield* runCli(withEnv({ RINGCENTRAL_CLIENT_ID: undefined, RINGCENTRAL_JWT: undefined }), "plan", "--state", state, "-q")
      expect(none.stderr).toBe(
        "Error: missing environment variables: RINGCENTRAL_CLIENT_ID + RINGCENTRAL_JWT (or RINGCENTRAL_ACCESS_TOKEN)\n"
      )
      // a base URL that is not an absolute http(s) URL is refused before any request (it once ended the process without a word)
      for (
        const [variable, value] of [
          ["PEOPLE_CONTACTS_BASE_URL", "::"],
          ["PEOPLE_CONTACTS_BASE_URL", "people.example.com"],
          ["PEOPLE_CONTACTS_BASE_URL", "http://user:password@people.example.com"],
          ["RINGCENTRAL_SERVER_URL", "ftp://platform.example.com"],
          ["RINGCENTRAL_MEDIA_URL", " https://media.example.com"]
        ] as const
      ) {
        const bad = yield* runCli(withEnv({ [variable]: value }), "plan", "--state", state, "-q")
        expect(bad.code).toBe(1)
        expect(bad.stderr).toBe(`Error: invalid environment variable: ${variable} (must be an absolute http(s) URL, with no user name or password)\n`)
        expect(bad.stderr).not.toContain("password@")
      }
      for (const value of ["0", "-3"]) {
        const refused = yield* runCli(withEnv({ UNIFIED_PEOPLE_CONCURRENCY: value }), "plan", "--state", state, "-q")
        expect(refused.code).toBe(2)
      }
      expect((yield* runCli(withEnv({}), "plan", "--state", state, "-q", "--concurrency", "0")).code).toBe(2)
      // a region with no numbering plan would leave every national number unread: refused too
      for (const value of ["ZZ", "usa", ""]) {
        expect((yield* runCli(withEnv({ UNIFIED_PEOPLE_DEFAULT_REGION: value }), "plan", "--state", state, "-q")).code).toBe(2)
      }
      expect((yield* runCli(withEnv({}), "plan", "--state", state, "-q", "--region", "XX")).code).toBe(2)
      const perPage = yield* runCli(withEnv({ PEOPLE_CONTACTS_PER_PAGE: "0" }), "plan", "--state", state, "-q")
      expect(perPage.stderr).toBe("Error: invalid environment variable: PEOPLE_CONTACTS_PER_PAGE (must be between 1 and 100)\n")
      // refused before anything is created
      expect(fs.existsSync(path.dirname(state))).toBe(false)

      // a defect is said, not an exit without a word
      const dying = Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die(new Error("the transport broke down"))))
      const defect = yield* runCli(withEnv({}), "plan", "--state", state, "-q").pipe(Effect.provide(dying))
      expect(defect.code).toBe(1)
      expect(defect.stderr).toContain("Error: unexpected failure: the transport broke down")

      const secret = "s3cr3t-client-secret-value"
      const unauthorized = yield* runCli(withEnv({ RINGCENTRAL_CLIENT_SECRET: secret }), "sync", "--state", state, "-q")
      expect(unauthorized.code).toBe(1)
      expect(unauthorized.stderr).toMatch(/^Error: ringcentral\.getToken: .*\(HTTP 401 OAU-123\)/)
      for (const text of [unauthorized.stderr, unauthorized.stdout]) {
        expect(text).not.toContain(secret)
        expect(text).not.toContain(env.env.RINGCENTRAL_JWT!)
      }

      const badToken = "wrong-people-token"
      const forbidden = yield* runCli(withEnv({ PEOPLE_CONTACTS_TOKEN: badToken }), "sync", "--state", state, "-q")
      expect(forbidden.code).toBe(1)
      expect(forbidden.stderr).toMatch(/^Error: people-contacts\.\w+: Unauthorized \(HTTP 401\)/)
      expect(forbidden.stderr).not.toContain(badToken)

      const usage = yield* runCli(env.configProvider, "sync", "--concurrency", "many")
      expect(usage.code).toBe(2)

      // a state path that is not a regular file is refused at once
      const dir = path.dirname(path.dirname(state))
      const notAFile = yield* runCli(env.configProvider, "sync", "--state", dir, "-q")
      expect(notAFile.code).toBe(1)
      expect(notAFile.stderr).toBe(`Error: SyncState.open: the state file ${dir} is not a regular file (directory)\n`)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("link confirms a match: the next sync writes that person's contacts", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 20 })
      const state = yield* tempState
      expect((yield* runCli(env.configProvider, "sync", "--state", state, "-q")).code).toBe(0)
      const source = env.company.ringcentralOnly[0]!
      const person = env.company.peopleOnly[0]!
      const linked = yield* runCli(env.configProvider, "link", source, String(person), "--state", state)
      expect(linked.code).toBe(0)
      expect(linked.stdout).toBe(`Linked directory person ${source} to person ${person}: the next sync matches them and writes their contacts.\n`)
      const next = yield* runCli(env.configProvider, "sync", "--state", state, "-q")
      expect(next.code).toBe(0)
      expect(env.people.contactsOf(person).filter((c) => c.integration).length).toBeGreaterThan(0)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("plan creates no file; options are accepted before or after the subcommand", () =>
    Effect.gen(function*() {
      const env = yield* setup({ size: 10 })
      const state = yield* tempState
      const plan = yield* runCli(env.configProvider, "--state", state, "-q", "plan")
      expect(plan.code).toBe(0)
      expect(plan.stdout).toMatch(/^Plan \(full, directory version "dir-\d+"\): 10 people read/)
      expect(fs.existsSync(path.dirname(state))).toBe(false)
      const dry = yield* runCli(env.configProvider, "sync", "--dry-run", "-q", "--state", state)
      expect(dry.code).toBe(0)
      expect(fs.existsSync(path.dirname(state))).toBe(false)
      expect(Cli.inAnyOrder(["node", "up", "--state", "s", "-q", "sync", "--full"])).toEqual(["node", "up", "sync", "--state", "s", "-q", "--full"])
      expect(Cli.inAnyOrder(["node", "up", "sync", "--state", "s"])).toEqual(["node", "up", "sync", "--state", "s"])
    }).pipe(Effect.provide(HttpLive)))
})
