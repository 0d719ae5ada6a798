/**
 * The People-Contacts emulator's bulk APIs (Import and Export) through real
 * HTTP: an `@effect/platform` HttpClient (undici) against the served emulator
 * and its download host.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect, FastCheck } from "effect"
import { strFromU8, unzipSync } from "fflate"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Loopback from "../src/Loopback.js"
import * as Emulator from "../src/PeopleContactsEmulator.js"
import * as ContactDetails from "../src/PeopleContactsEmulator/ContactDetails.js"
import * as Export from "../src/PeopleContactsEmulator/Export.js"
import * as Rules from "../src/PeopleContactsEmulator/Rules.js"
import * as Store from "../src/PeopleContactsEmulator/Store.js"

const fixture = (name: string): Uint8Array => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name))

interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly json: unknown
}

const answer = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function*() {
    const text = yield* response.text
    let json: unknown
    try {
      json = text === "" ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json } satisfies Answer
  })

const send = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    return yield* answer(yield* client.execute(request))
  }).pipe(Effect.scoped, Effect.orDie)

const authed = (emulator: Emulator.Served, request: HttpClientRequest.HttpClientRequest) =>
  request.pipe(
    HttpClientRequest.bearerToken(emulator.tokens[0]!),
    HttpClientRequest.setHeader("X-Xurrent-Account", emulator.account)
  )

const upload = (emulator: Emulator.Served, file: string | Uint8Array, type = "people_contact_details") => {
  const form = new FormData()
  form.append("type", type)
  form.append("file", new Blob([file], { type: "text/csv" }), "contact-details.csv")
  return send(authed(emulator, HttpClientRequest.post(`${emulator.baseUrl}/import`).pipe(HttpClientRequest.bodyFormData(form))))
}

const readImport = (emulator: Emulator.Served, token: string) =>
  send(authed(emulator, HttpClientRequest.get(`${emulator.baseUrl}/import/${token}`)))

interface ImportStatus {
  readonly state: string
  readonly results: Record<string, number>
  readonly message?: string
  readonly logfile?: string
}

/** Uploads and reads the status until it is `done` or `error` (each read is a step); every state seen. */
const runImport = (emulator: Emulator.Served, file: string | Uint8Array) =>
  Effect.gen(function*() {
    const created = yield* upload(emulator, file)
    expect(created.status).toBe(200)
    const token = (created.json as { token: string }).token
    const states: Array<string> = []
    for (let i = 0; i < 20; i++) {
      const status = yield* readImport(emulator, token)
      expect(status.status).toBe(200)
      const body = status.json as ImportStatus
      states.push(body.state)
      if (body.state === "done" || body.state === "error") return { token, states, status: body }
    }
    throw new Error(`import ${token} never finished: ${states.join(", ")}`)
  })

const csv = (...rows: ReadonlyArray<string>) =>
  ["Person,Contact Protocol,Contact Label,Contact URI,Integration", ...rows].join("\n") + "\n"

// node:http, not undici: the undici package (7) does not take the global FormData of Node 20 as a body
const clientLayer = NodeHttpClient.layer

describe("Import", () => {
  it.scopedLive("queued, processing, done over the reads; the file applies when done; a 40-hex token", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0, importTicks: 2 })
      const person = emulator.addPerson({ primary_email: "ed.turner@widget.com" })
      const created = yield* upload(emulator, csv("Ed.Turner@widget.com,telephone,work,+1 (212) 369 2604,true"))
      expect(created.status).toBe(200)
      const token = (created.json as { token: string }).token
      expect(token).toMatch(/^[0-9a-f]{40}$/)

      const first = yield* readImport(emulator, token)
      expect(first.json).toEqual({
        state: "queued",
        results: { created: 0, updated: 0, deleted: 0, unchanged: 0, failures: 0, errors: 0 }
      })
      expect(emulator.contactsOf(person.id)).toHaveLength(0)
      expect(((yield* readImport(emulator, token)).json as ImportStatus).state).toBe("processing")
      expect(emulator.contactsOf(person.id)).toHaveLength(0)
      const done = yield* readImport(emulator, token)
      expect(done.json).toEqual({
        state: "done",
        results: { created: 1, updated: 0, deleted: 0, unchanged: 0, failures: 0, errors: 0 }
      })
      expect(done.headers["x-ratelimit-limit"]).toBe("3600")
      expect(emulator.contactsOf(person.id)).toMatchObject([{ label: "work", telephone: "+1 (212) 369 2604", integration: true }])
      expect(emulator.imports.get(token)).toMatchObject({ state: "done", rows: 1, reads: 3 })
      // done stays done
      expect(((yield* readImport(emulator, token)).json as ImportStatus).state).toBe("done")
      expect((yield* readImport(emulator, "0".repeat(40))).status).toBe(404)
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("steps by hand or by the store's clock; importTicks 0 is done at the first read", () =>
    Effect.gen(function*() {
      let now = 1_000_000
      const emulator = yield* Emulator.serve({ people: 0, importTicks: 3, bulkTickMillis: 1000, clock: () => now })
      emulator.addPerson({ primary_email: "a@widget.com" })
      const token = ((yield* upload(emulator, csv("a@widget.com,email,work,a@mail.example,true"))).json as { token: string }).token
      expect(emulator.imports.get(token)?.state).toBe("queued")
      emulator.imports.tick()
      expect(emulator.imports.get(token)?.state).toBe("processing")
      now += 1999
      expect(emulator.imports.get(token)?.state).toBe("processing")
      now += 1
      expect(emulator.imports.get(token)?.state).toBe("done")
      expect(emulator.imports.get(token)?.results.created).toBe(1)

      const quick = yield* Emulator.serve({ people: 0, importTicks: 0 })
      quick.addPerson({ primary_email: "a@widget.com" })
      const result = yield* runImport(quick, csv("a@widget.com,email,work,a@mail.example,true"))
      expect(result.states).toEqual(["done"])
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("the vendor's example file: the label skype under telephone and the address row are errors with log lines", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      for (const email of ["chess.cole@widget.com", "ed.turner@widget.com", "tom.peterson@widget.com"]) {
        emulator.addPerson({ primary_email: email })
      }
      const { status } = yield* runImport(emulator, fixture("contact-details-import.csv"))
      expect(status.state).toBe("done")
      expect(status.results).toEqual({ created: 9, updated: 0, deleted: 0, unchanged: 0, failures: 0, errors: 2 })
      const job = emulator.imports.list()[0]!
      expect(job.log).toEqual([
        "line 5: label is not included in the list",
        "line 7: address rows are not emulated (the emulator keeps contact details only)"
      ])
      // the log file is on the download host, a signed URL read without credentials
      const logfile = new URL(status.logfile!)
      expect(logfile.origin).toBe(emulator.downloads.url)
      expect(logfile.origin).not.toBe(emulator.url)
      const log = yield* send(HttpClientRequest.get(status.logfile!))
      expect(log.status).toBe(200)
      expect(log.text.split("\n").filter((l) => l !== "")).toEqual(job.log)
      const chess = [...emulator.people.values()].find((p) => p.primary_email === "chess.cole@widget.com")!
      expect(emulator.contactsOf(chess.id).map((c) => [c.label, c.telephone ?? c.email ?? c.website ?? c.chat])).toEqual([
        ["work", "+1 (773) 288 2668"],
        ["fax", "+1 (773) 288 2301"],
        ["personal", "www.chesscole.net"],
        ["personal", "chess.cole@gmail.com"]
      ])
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("replaces every integration contact of a person by the rows; the person's own contacts and people not in the file untouched", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const bob = emulator.addPerson({ primary_email: "bob@widget.com" })
      const changed = emulator.addContact(ann.id, { label: "work", telephone: "+1 111", integration: true })
      const same = emulator.addContact(ann.id, { label: "mobile", telephone: "+1 222", integration: true })
      const omitted = emulator.addContact(ann.id, { label: "fax", telephone: "+1 333", integration: true })
      const own = emulator.addContact(ann.id, { label: "home", telephone: "+1 444", integration: false })
      const bobs = emulator.addContact(bob.id, { label: "work", email: "bob@mail.example", integration: true })
      const file = [
        "ID,Person,Contact Protocol,Contact Label,Contact URI,Integration",
        `${changed.id},ann@widget.com,telephone,work,+1 999,true`,
        ",ann@widget.com,telephone,mobile,+1 222,true",
        ",ann@widget.com,email,personal,ann@mail.example,1"
      ].join("\r\n")
      const { status } = yield* runImport(emulator, file)
      expect(status).toEqual({ state: "done", results: { created: 1, updated: 1, deleted: 1, unchanged: 1, failures: 0, errors: 0 } })
      const after = emulator.contactsOf(ann.id)
      expect(after.map((c) => c.id)).toEqual([changed.id, same.id, own.id, after[3]!.id])
      expect(emulator.contacts.get(changed.id)).toMatchObject({ label: "work", telephone: "+1 999", integration: true })
      expect(emulator.contacts.has(omitted.id)).toBe(false)
      expect(emulator.contacts.get(own.id)).toMatchObject({ label: "home", telephone: "+1 444", integration: false })
      expect(after[3]).toMatchObject({ label: "personal", email: "ann@mail.example", integration: true })
      expect(emulator.contactsOf(bob.id)).toEqual([bobs])

      // the same desired state again writes nothing
      const again = [
        "Person,Contact Protocol,Contact Label,Contact URI,Integration",
        "ann@widget.com,telephone,work,+1 999,true",
        "ann@widget.com,telephone,mobile,+1 222,true",
        "ann@widget.com,email,personal,ann@mail.example,true"
      ].join("\n")
      const second = yield* runImport(emulator, again)
      expect(second.status.results).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 3, failures: 0, errors: 0 })
      expect(emulator.contactsOf(ann.id).map((c) => c.id)).toEqual(after.map((c) => c.id))
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("a person's rows must be adjacent: a later group replaces an earlier one", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      emulator.addPerson({ primary_email: "bob@widget.com" })
      const { status } = yield* runImport(
        emulator,
        csv(
          "ann@widget.com,telephone,work,+1 1,true",
          "bob@widget.com,telephone,work,+1 2,true",
          "ann@widget.com,telephone,mobile,+1 3,true"
        )
      )
      expect(status.results).toMatchObject({ created: 3, deleted: 1 })
      expect(emulator.contactsOf(ann.id)).toMatchObject([{ label: "mobile", telephone: "+1 3" }])
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("unknown e-mails are failures, broken rows are errors, each with a log line; a row in error keeps the contact it names", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const kept = emulator.addContact(ann.id, { label: "work", telephone: "+1 1", integration: true })
      const gone = emulator.addContact(ann.id, { label: "fax", telephone: "+1 2", integration: true })
      const bob = emulator.addPerson({ primary_email: "bob@widget.com" })
      const bobs = emulator.addContact(bob.id, { label: "work", telephone: "+1 3", integration: true })
      const file = [
        "Person,Contact Protocol,Contact Label,Contact URI,Integration,ID",
        "nobody@widget.com,telephone,work,+1 5,true,",
        "nobody@widget.com,email,work,x@mail.example,true,",
        ",telephone,work,+1 6,true,",
        `ann@widget.com,telephone,emergency,+1 1,true,${kept.id}`,
        "ann@widget.com,pager,work,123,true,",
        "ann@widget.com,telephone,work,,true,",
        "ann@widget.com,telephone,work,+1 7,maybe,",
        "ann@widget.com,telephone,work,+1 8,true,99999",
        "ann@widget.com,chat,chat_teams,https://teams.example/ann,true,",
        "bob@widget.com,telephone,skype,bob,true,"
      ].join("\n")
      const { status } = yield* runImport(emulator, file)
      expect(status.state).toBe("done")
      expect(status.results).toEqual({ created: 1, updated: 0, deleted: 1, unchanged: 0, failures: 3, errors: 6 })
      // a person whose rows are all in error keeps every contact
      expect(emulator.contactsOf(bob.id)).toEqual([bobs])
      expect(emulator.imports.list()[0]!.log).toEqual([
        "line 2: no person with primary e-mail \"nobody@widget.com\"",
        "line 3: no person with primary e-mail \"nobody@widget.com\"",
        "line 4: Person can't be blank",
        "line 5: label is not included in the list",
        "line 6: Contact Protocol \"pager\" is not included in the list",
        "line 7: telephone can't be blank",
        "line 8: Integration \"maybe\" must be true or false",
        "line 9: contact detail 99999 is not a contact detail of ann@widget.com",
        "line 11: label is not included in the list"
      ])
      expect(emulator.contacts.get(kept.id)).toMatchObject({ label: "work", telephone: "+1 1" })
      expect(emulator.contacts.has(gone.id)).toBe(false)
      expect(status.logfile).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/downloads\/logs\/[0-9a-f]{40}\.txt\?/)
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("a file that cannot be read ends in state error with the reason", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const before = emulator.addContact(ann.id, { label: "work", telephone: "+1 1", integration: true })
      const cases: ReadonlyArray<readonly [string | Uint8Array, RegExp]> = [
        ["Person,Contact Protocol,Contact Label\nann@widget.com,telephone,work\n", /missing required column: Contact URI/],
        [csv("ann@widget.com,telephone,work,\"+1 2,true"), /Quote Not Closed.*line 2/],
        [csv("ann@widget.com,telephone,work,+1 2,true,extra"), /Invalid Record Length.*line 2/],
        ["", /the file is empty/],
        [
          new Uint8Array([...new TextEncoder().encode(csv("ann@widget.com,telephone,work,+1 2,true")), 0xff, 0xfe, 0x41, 0x0a]),
          /invalid byte sequence in UTF-8 on line 3/
        ]
      ]
      for (const [file, reason] of cases) {
        const { status } = yield* runImport(emulator, file)
        expect(status.state).toBe("error")
        expect(status.message).toMatch(reason)
        expect(status.results).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 0, failures: 0, errors: 0 })
        expect(status.logfile).toBeDefined()
      }
      expect(emulator.contactsOf(ann.id)).toEqual([before])
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("reads UTF-16LE and tab-separated files, columns in any order and case", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const text = "integration\tcontact uri\tPERSON\tContact Label\tContact Protocol\tNotes\ntrue\t+49 30 1234\tann@widget.com\tmobile\ttelephone\tMüller, Zürich\n"
      const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, "utf16le")])
      const { status } = yield* runImport(emulator, utf16)
      expect(status).toMatchObject({ state: "done", results: { created: 1, errors: 0 } })
      expect(emulator.contactsOf(ann.id)).toMatchObject([{ label: "mobile", telephone: "+49 30 1234", integration: true }])
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("failNext: the next import ends in error after applying its first groups", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const bob = emulator.addPerson({ primary_email: "bob@widget.com" })
      emulator.imports.failNext({ message: "Import failed: internal error on line 3", afterGroups: 1 })
      const file = csv("ann@widget.com,telephone,work,+1 1,true", "bob@widget.com,telephone,work,+1 2,true")
      const failed = yield* runImport(emulator, file)
      expect(failed.status).toMatchObject({
        state: "error",
        message: "Import failed: internal error on line 3",
        results: { created: 1, failures: 0, errors: 0 }
      })
      expect(emulator.contactsOf(ann.id)).toHaveLength(1)
      expect(emulator.contactsOf(bob.id)).toHaveLength(0)
      // the one after is not affected, and a repeat of the file converges
      const retried = yield* runImport(emulator, file)
      expect(retried.status).toMatchObject({ state: "done", results: { created: 1, unchanged: 1 } })
      expect(emulator.contactsOf(bob.id)).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("refuses an upload without type or file, another type, a body that is not multipart, and no token", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      const noFile = new FormData()
      noFile.append("type", "people_contact_details")
      const post = (body: (r: HttpClientRequest.HttpClientRequest) => HttpClientRequest.HttpClientRequest) =>
        send(authed(emulator, HttpClientRequest.post(`${emulator.baseUrl}/import`).pipe(body)))
      expect((yield* post(HttpClientRequest.bodyFormData(noFile))).json).toEqual({
        message: "Validation Failed",
        errors: [["file", "can't be blank"]]
      })
      const people = yield* upload(emulator, "Name\nAnn\n", "people")
      expect(people.status).toBe(422)
      expect(people.json).toMatchObject({ errors: [["type", expect.stringContaining("people")]] })
      const json = yield* post(HttpClientRequest.bodyUnsafeJson({ type: "people_contact_details", file: "x" }))
      expect(json.status).toBe(400)
      const anonymous = yield* send(HttpClientRequest.post(`${emulator.baseUrl}/import`))
      expect(anonymous).toMatchObject({ status: 401, json: { message: "Unauthorized" } })
      expect(emulator.imports.list()).toHaveLength(0)
      expect(emulator.requests().filter((r) => r.path === "/v1/import").map((r) => r.status)).toEqual([422, 422, 400, 401])
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("an upload whose answer is lost was still accepted; uploading the same file again converges", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0 })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      emulator.addContact(ann.id, { label: "fax", telephone: "+1 0", integration: true })
      yield* emulator.faults.inject({ fault: { _tag: "ResetAfter" }, method: "POST", path: "/v1/import" })
      const file = csv("ann@widget.com,telephone,work,+1 1,true", "ann@widget.com,email,work,ann@mail.example,true")
      const form = new FormData()
      form.append("type", "people_contact_details")
      form.append("file", new Blob([file]), "contact-details.csv")
      const client = yield* HttpClient.HttpClient
      const lost = yield* Effect.either(Effect.scoped(client.execute(authed(emulator, HttpClientRequest.post(`${emulator.baseUrl}/import`).pipe(HttpClientRequest.bodyFormData(form))))))
      expect(lost._tag).toBe("Left")
      expect(emulator.imports.list()).toHaveLength(1)
      const again = yield* runImport(emulator, file)
      expect(again.status.state).toBe("done")
      // the first job, done by hand, and the second: the same end state
      emulator.imports.tick(2)
      expect(emulator.imports.list().map((job) => job.state)).toEqual(["done", "done"])
      expect(emulator.contactsOf(ann.id).map((c) => [c.label, c.telephone ?? c.email])).toEqual([
        ["work", "+1 1"],
        ["work", "ann@mail.example"]
      ])
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("rate limits and injected faults apply to the import endpoints", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 0, burst: { limit: 3, windowMillis: 60_000 } })
      emulator.addPerson({ primary_email: "ann@widget.com" })
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 503, body: { message: "Service Unavailable" } }, path: "/v1/import", method: "POST" })
      const faulted = yield* upload(emulator, csv("ann@widget.com,telephone,work,+1 1,true"))
      expect(faulted.status).toBe(503)
      expect(emulator.imports.list()).toHaveLength(0)
      const created = yield* upload(emulator, csv("ann@widget.com,telephone,work,+1 1,true"))
      const token = (created.json as { token: string }).token
      expect((yield* readImport(emulator, token)).status).toBe(200)
      expect((yield* readImport(emulator, token)).status).toBe(200)
      const limited = yield* readImport(emulator, token)
      expect(limited.status).toBe(429)
      expect(limited.json).toEqual({ message: "Too Many Requests" })
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0)
      // a refused read is not a step
      expect(emulator.imports.get(token)).toMatchObject({ reads: 2, state: "done" })
    }).pipe(Effect.provide(clientLayer)))
})

const createExport = (emulator: Emulator.Served, body: Record<string, string>) =>
  send(authed(emulator, HttpClientRequest.post(`${emulator.baseUrl}/export`).pipe(HttpClientRequest.bodyUnsafeJson(body))))

const readExport = (emulator: Emulator.Served, token: string) =>
  send(authed(emulator, HttpClientRequest.get(`${emulator.baseUrl}/export/${token}`)))

/** Creates an export and reads its status until done; the states seen and the URL. */
const runExport = (emulator: Emulator.Served, body: Record<string, string>) =>
  Effect.gen(function*() {
    const created = yield* createExport(emulator, body)
    expect(created.status).toBe(200)
    const token = (created.json as { token: string }).token
    const states: Array<string> = []
    for (let i = 0; i < 20; i++) {
      const status = (yield* readExport(emulator, token)).json as { state: string; url?: string }
      states.push(status.state)
      if (status.state === "done") return { token, states, url: status.url! }
    }
    throw new Error(`export ${token} never finished: ${states.join(", ")}`)
  })

/** Downloads a zip with no credentials at all, and reads its CSV files as header + records. */
const download = (url: string) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(HttpClientRequest.get(url))
    expect(response.status).toBe(200)
    expect(response.headers["content-type"]).toBe("application/zip")
    const zip = unzipSync(new Uint8Array(yield* response.arrayBuffer))
    const files: Record<string, { header: Array<string>; rows: Array<Record<string, string>>; raw: string }> = {}
    for (const [name, bytes] of Object.entries(zip)) {
      const raw = strFromU8(bytes)
      const [header, ...records] = parse(raw) as Array<Array<string>>
      files[name] = { header: header!, rows: records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))), raw }
    }
    return files
  }).pipe(Effect.scoped, Effect.orDie)

const unguard = (value: string) => /^\t[=+\-@]/.test(value) ? value.slice(1) : value

describe("Export", () => {
  it.scopedLive("a zip of CSV files on the download host: shuffled columns, one unknown column, the leading-tab guard", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 6, seed: 11 })
      const odd = emulator.addPerson({ name: "=HYPERLINK(\"x\")", job_title: "@lead, \"ops\"\nnight", primary_email: "-odd@widget.com" })
      emulator.addContact(odd.id, { label: "mobile", telephone: "+1 (713) 555 0101", integration: true })
      emulator.addContact(odd.id, { label: "work", email: "=x@widget.com", integration: false })
      const run = yield* runExport(emulator, { type: "people,people_contact_details" })
      expect(run.states).toEqual(["queued", "processing", "done"])
      const url = new URL(run.url)
      expect(url.origin).toBe(emulator.downloads.url)
      expect(url.origin).not.toBe(emulator.url)
      const files = yield* download(run.url)
      expect(Object.keys(files).sort()).toEqual(["people.csv", "people_contact_details.csv"])

      const people = files["people.csv"]!
      expect([...people.header].sort()).toEqual([...Export.peopleColumns, "Node ID"].sort())
      expect(people.header).not.toEqual([...Export.peopleColumns, "Node ID"])
      expect(people.rows).toHaveLength(emulator.people.size)
      const oddRow = people.rows.find((r) => r["ID"] === String(odd.id))!
      expect(oddRow["Name"]).toBe("\t=HYPERLINK(\"x\")")
      expect(oddRow["Primary Email"]).toBe("\t-odd@widget.com")
      expect(oddRow["Job Title"]).toBe("\t@lead, \"ops\"\nnight")
      expect(oddRow["Node ID"]).toBe(odd.nodeID)
      for (const row of people.rows) {
        const person = emulator.people.get(Number(row["ID"]))!
        expect([unguard(row["Name"]!), unguard(row["Primary Email"]!), row["Disabled"]]).toEqual([person.name, person.primary_email, String(person.disabled)])
      }

      const details = files["people_contact_details.csv"]!
      expect([...details.header].sort()).toEqual([...Export.contactDetailsColumns, "Node ID"].sort())
      expect(details.header).not.toEqual([...Export.contactDetailsColumns, "Node ID"])
      expect(details.rows).toHaveLength(emulator.contacts.size)
      const phone = details.rows.find((r) => r["Person"] === "\t-odd@widget.com" && r["Contact Protocol"] === "telephone")!
      expect(phone).toMatchObject({ "Contact Label": "mobile", "Contact URI": "\t+1 (713) 555 0101", Integration: "true" })
      for (const row of details.rows) {
        const contact = emulator.contacts.get(Number(row["ID"]))!
        const field = row["Contact Protocol"] as "email" | "telephone" | "chat" | "website"
        expect(unguard(row["Contact URI"]!)).toBe(contact[field])
        expect([row["Contact Label"], row["Integration"], unguard(row["Person"]!)]).toEqual([
          contact.label,
          String(contact.integration),
          emulator.people.get(contact.personId)!.primary_email
        ])
      }
      // a guarded value is quoted only where CSV needs it: the tab comes right after the comma
      expect(details.raw).toContain(",\t+1 (713) 555 0101")

      // another export draws another column order; the same seed draws the same orders again
      const second = yield* download((yield* runExport(emulator, { type: "people" })).url)
      expect(Object.keys(second)).toEqual(["people.csv"])
      expect(second["people.csv"]!.header).not.toEqual(people.header)
      const twin = yield* Emulator.serve({ people: 6, seed: 11 })
      const twinFiles = yield* download((yield* runExport(twin, { type: "people,people_contact_details" })).url)
      expect(twinFiles["people.csv"]!.header).toEqual(people.header)
      expect(emulator.exports.list().map((e) => e.state)).toEqual(["done", "done"])
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("from: 204 when nothing changed since; otherwise the people changed since then with all their contacts", () =>
    Effect.gen(function*() {
      let now = Date.UTC(2026, 0, 1)
      const emulator = yield* Emulator.serve({ people: 5, clock: () => now })
      now += 60_000
      const since = new Date(now).toISOString()
      const nothing = yield* createExport(emulator, { type: "people,people_contact_details", from: since })
      expect(nothing).toMatchObject({ status: 204, text: "" })
      expect(emulator.exports.list()).toHaveLength(0)

      // a contact written through the API changes its person
      const person = emulator.people.get(3)!
      const created = yield* send(
        authed(emulator, HttpClientRequest.post(`${emulator.baseUrl}/people/3/contacts`)).pipe(
          HttpClientRequest.bodyUnsafeJson({ label: "mobile", telephone: "+1 555", integration: true })
        )
      )
      expect(created.status).toBe(201)
      const run = yield* runExport(emulator, { type: "people,people_contact_details", from: since })
      const files = yield* download(run.url)
      expect(files["people.csv"]!.rows.map((r) => r["ID"])).toEqual(["3"])
      expect(files["people_contact_details.csv"]!.rows.map((r) => r["ID"])).toEqual(emulator.contactsOf(3).map((c) => String(c.id)))
      expect(files["people_contact_details.csv"]!.rows.every((r) => r["Person"] === person.primary_email)).toBe(true)

      // an import's writes too; a change at exactly `from` is included
      const later = new Date(now).toISOString()
      const importRun = yield* runImport(emulator, csv(`${emulator.people.get(4)!.primary_email},email,work,four@mail.example,true`))
      expect(importRun.status.state).toBe("done")
      const afterImport = yield* download((yield* runExport(emulator, { type: "people", from: later })).url)
      expect(afterImport["people.csv"]!.rows.map((r) => r["ID"]).sort()).toEqual(["3", "4"])
      now += 1
      expect((yield* createExport(emulator, { type: "people", from: new Date(now).toISOString() })).status).toBe(204)
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("the download host never needs credentials, records every header, refuses an Authorization with the signed URL", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 3 })
      const run = yield* runExport(emulator, { type: "people_contact_details" })
      emulator.downloads.clearRequests()
      yield* download(run.url)
      const clean = emulator.downloads.requests()
      expect(clean).toHaveLength(1)
      expect(clean[0]!.path).toBe(new URL(run.url).pathname)
      expect(clean[0]!.headers["authorization"]).toBeUndefined()
      expect(clean[0]!.headers["x-xurrent-account"]).toBeUndefined()
      expect(clean[0]!.headers["x-4me-account"]).toBeUndefined()

      // a client that leaks its credentials is seen, and refused as a storage host refuses it
      const leaked = yield* send(authed(emulator, HttpClientRequest.get(run.url)))
      expect(leaked.status).toBe(400)
      expect(leaked.text).toContain("<Code>InvalidArgument</Code>")
      const seen = emulator.downloads.requests()[1]!
      expect(seen.headers["authorization"]).toBe(`Bearer ${emulator.tokens[0]}`)
      expect(seen.headers["x-xurrent-account"]).toBe(emulator.account)

      const unsigned = yield* send(HttpClientRequest.get(run.url.replace(/X-Amz-Signature=[0-9a-f]+/, "X-Amz-Signature=00")))
      expect(unsigned.status).toBe(403)
      expect((yield* send(HttpClientRequest.get(`${emulator.downloads.url}/downloads/exports/nothing.zip`))).status).toBe(404)
      // the API host does not serve the files
      expect((yield* send(HttpClientRequest.get(run.url.replace(emulator.downloads.url, emulator.url)))).status).toBe(404)

      // faults on the download host, recorded too
      yield* emulator.downloads.faults.inject({ fault: { _tag: "Status", status: 503 }, path: "/downloads/exports" })
      const faulted = yield* send(HttpClientRequest.get(run.url))
      expect(faulted.status).toBe(503)
      expect(emulator.downloads.requests()).toHaveLength(5)
      yield* download(run.url)
    }).pipe(Effect.provide(clientLayer)))

  it.scopedLive("type and from are read from JSON, a form or the query; bad ones are 422; limits and faults apply", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 2, burst: { limit: 5, windowMillis: 60_000 } })
      const post = (request: HttpClientRequest.HttpClientRequest) => send(authed(emulator, request))
      const base = HttpClientRequest.post(`${emulator.baseUrl}/export`)
      expect((yield* post(base.pipe(HttpClientRequest.bodyUrlParams({ type: "people" })))).status).toBe(200)
      expect((yield* post(base.pipe(HttpClientRequest.setUrlParam("type", "people_contact_details")))).status).toBe(200)
      expect((yield* post(base)).json).toEqual({ message: "Validation Failed", errors: [["type", "can't be blank"]] })
      expect((yield* post(base.pipe(HttpClientRequest.bodyUnsafeJson({ type: "people,organizations", from: "yesterday" })))).json).toEqual({
        message: "Validation Failed",
        errors: [["type", "organizations is not included in the list"], ["from", "is invalid"]]
      })
      expect((yield* post(base.pipe(HttpClientRequest.bodyText("{type:", "application/json")))).status).toBe(400)
      const limited = yield* post(base.pipe(HttpClientRequest.bodyUnsafeJson({ type: "people" })))
      expect(limited.status).toBe(429)
      expect(limited.headers["retry-after"]).toBeDefined()

      const other = yield* Emulator.serve({ people: 2 })
      yield* other.faults.inject({ fault: { _tag: "Malformed", body: "<html>502 Bad Gateway</html>" }, path: "/v1/export/", method: "GET" })
      const created = yield* createExport(other, { type: "people" })
      const token = (created.json as { token: string }).token
      const malformed = yield* readExport(other, token)
      expect(malformed.json).toBeUndefined()
      expect(malformed.text).toContain("502")
      // the faulted read never reached the emulator: not a step
      expect(other.exports.get(token)).toMatchObject({ state: "queued", reads: 0 })
      expect((yield* readExport(other, "f".repeat(40))).status).toBe(404)
    }).pipe(Effect.provide(clientLayer)))
})

describe("ContactDetails.apply (property)", () => {
  const field = FastCheck.constantFrom(...Rules.valueFields)
  const contactArb = FastCheck.record({
    field,
    value: FastCheck.constantFrom("a", "b", "c"),
    labelPick: FastCheck.nat(8),
    integration: FastCheck.boolean()
  })
  const labelFor = (f: Rules.ValueField, pick: number) => {
    const allowed = Rules.knownLabels.filter((l) => Rules.isAllowed(l, f))
    return allowed[pick % allowed.length]!
  }
  const key = (c: { readonly label: string } & Partial<Record<Rules.ValueField, string>>) =>
    Rules.valueFields.map((f) => c[f] ?? "").join("|") + `|${c.label}`

  it("an import leaves each person in the file with exactly the rows as integration contacts, their own contacts and everyone else untouched; a repeat changes nothing", () =>
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(FastCheck.array(contactArb, { maxLength: 5 }), { minLength: 3, maxLength: 3 }),
        FastCheck.array(
          FastCheck.record({
            person: FastCheck.nat(2),
            rows: FastCheck.array(FastCheck.record({ contact: contactArb, keep: FastCheck.nat(6) }), { minLength: 1, maxLength: 5 })
          }),
          { maxLength: 3 }
        ),
        (start, desired) => {
          const store = Store.make({ people: 0 })
          const people = [0, 1, 2].map((i) => store.addPerson({ primary_email: `p${i}@widget.com` }))
          start.forEach((contacts, i) => {
            for (const c of contacts) {
              store.addContact(people[i]!.id, { label: labelFor(c.field, c.labelPick), [c.field]: c.value, integration: c.integration })
            }
          })
          // one group per person (the last one asked for wins), rows naming owned contacts by ID now and then
          const groups = new Map<number, ReadonlyArray<{ contact: typeof desired[number]["rows"][number]["contact"]; keep: number }>>()
          for (const g of desired) groups.set(g.person, g.rows)
          const before = new Map(people.map((p) => [p.id, store.contactsOf(p.id).map((c) => ({ ...c }))]))
          const lines = ["ID,Person,Contact Protocol,Contact Label,Contact URI,Integration"]
          const expected = new Map<number, Array<string>>()
          const named = new Map<number, Set<number>>()
          for (const [i, rows] of groups) {
            const person = people[i]!
            const owned = store.contactsOf(person.id).filter((c) => c.integration)
            const ids = new Set<number>()
            expected.set(person.id, [])
            for (const { contact, keep } of rows) {
              const target = owned[keep]
              const id = target !== undefined && !ids.has(target.id) ? target.id : undefined
              if (id !== undefined) ids.add(id)
              const label = labelFor(contact.field, contact.labelPick)
              lines.push(`${id ?? ""},${person.primary_email},${contact.field},${label},${contact.value},true`)
              expected.get(person.id)!.push(key({ label, [contact.field]: contact.value }))
            }
            named.set(person.id, ids)
          }
          const parsed = ContactDetails.parseFile(new TextEncoder().encode(lines.join("\n")))
          if (!("rows" in parsed)) throw new Error(parsed.error)
          const { results } = ContactDetails.apply(store, parsed.rows)
          expect(results.failures + results.errors).toBe(0)
          expect(results.created + results.updated + results.unchanged).toBe(parsed.rows.length)
          for (const person of people) {
            const now = store.contactsOf(person.id)
            const was = before.get(person.id)!
            expect(now.filter((c) => !c.integration)).toEqual(was.filter((c) => !c.integration))
            const rows = expected.get(person.id)
            if (rows === undefined) {
              expect(now).toEqual(was)
              continue
            }
            expect(now.filter((c) => c.integration).map(key).sort()).toEqual([...rows].sort())
            for (const id of named.get(person.id)!) expect(store.contacts.has(id)).toBe(true)
          }
          const repeat = ContactDetails.parseFile(new TextEncoder().encode(lines.map((l, i) => i === 0 ? l : l.replace(/^\d*/, "")).join("\n")))
          if (!("rows" in repeat)) throw new Error(repeat.error)
          const snapshot = [...store.contacts.values()].map((c) => ({ ...c }))
          const again = ContactDetails.apply(store, repeat.rows).results
          expect(again).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: repeat.rows.length, failures: 0, errors: 0 })
          expect([...store.contacts.values()]).toEqual(snapshot)
        }
      ),
      { numRuns: 200 }
    ))
})

describe("an emulator served without its download host", () => {
  it.scopedLive("serves its files under the API's own origin", () =>
    Effect.gen(function*() {
      const emulator = Emulator.make({ people: 2, exportTicks: 0 })
      const server = yield* Loopback.serve(emulator.app)
      const headers = { Authorization: `Bearer ${emulator.tokens[0]}`, "X-Xurrent-Account": emulator.account }
      const created = yield* send(
        HttpClientRequest.post(`${server.url}/v1/export`).pipe(HttpClientRequest.setHeaders(headers), HttpClientRequest.bodyUnsafeJson({ type: "people" }))
      )
      const token = (created.json as { token: string }).token
      const status = yield* send(HttpClientRequest.get(`${server.url}/v1/export/${token}`).pipe(HttpClientRequest.setHeaders(headers)))
      const url = (status.json as { url: string }).url
      expect(url.startsWith(`${server.url}/downloads/exports/`)).toBe(true)
      const files = yield* download(url)
      expect(files["people.csv"]!.rows).toHaveLength(2)
      expect(emulator.downloads.requests()).toHaveLength(1)
      expect(emulator.exports.get(token)?.zip).toBeInstanceOf(Uint8Array)
    }).pipe(Effect.provide(clientLayer)))
})
