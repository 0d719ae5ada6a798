/**
 * The Import and Export areas and the contact book's bulk operations, through
 * real HTTP against the People-Contacts emulator and its download host.
 */
import { describe, expect, it } from "@effect/vitest"
import type * as ContactBook from "@unified-people/core/ContactBook"
import * as PeopleError from "@unified-people/core/PeopleError"
import * as ContactPoint from "@unified-people/core/ContactPoint"
import { Chunk, Effect, Either, Exit, Fiber, Option, Stream } from "effect"
import { strToU8, zipSync } from "fflate"
import * as Contacts from "../src/Contacts.js"
import * as Export from "../src/Export.js"
import * as Import from "../src/Import.js"
import * as PeopleContactsPeople from "../src/PeopleContactsPeople.js"
import { drive, HttpLive, setup } from "./utils.js"

const fast = { rateLimitScale: 0.01 }


/** The emulator, a client with fast polling, the Import and Export services, and the contact book over all three areas. */
const env = (emulator: Parameters<typeof setup>[0] = {}) =>
  Effect.gen(function*() {
    const base = yield* setup({
      emulator: { people: 0, ...fast, ...emulator?.emulator },
      client: { ...fast, bulk: { pollInterval: "5 millis", pollTimeout: "20 seconds" }, ...emulator?.client }
    })
    const importer = yield* base.provide(Import.make)
    const exporter = yield* base.provide(Export.make)
    const book = yield* base.provide(PeopleContactsPeople.makeContactBook.pipe(
      Effect.provideService(Import.Import, importer),
      Effect.provideService(Export.Export, exporter),
      Effect.provideService(Contacts.Contacts, base.contacts)
    ))
    return { ...base, importer, exporter, book, bulk: book.bulk! }
  })

const valueOf = (c: { readonly email?: string; readonly telephone?: string; readonly chat?: string; readonly website?: string }) =>
  c.email ?? c.telephone ?? c.chat ?? c.website ?? ""

/** A person's contacts in the emulator as sorted `label|value|integration` strings. */
const stateOf = (emulator: { readonly contactsOf: (id: number) => ReadonlyArray<{ label: string; integration: boolean }> }, id: number) =>
  emulator.contactsOf(id).map((c) => `${c.label}|${valueOf(c as never)}|${c.integration}`).sort()

const point = (kind: ContactPoint.ContactPoint["kind"], value: string, label: ContactPoint.ContactPoint["label"]) =>
  ContactPoint.make({ kind, value, label })

describe("Import", () => {
  it.scopedLive("uploads a file as multipart through the client and awaits it: per person, integration contacts replaced, own contacts kept", () =>
    Effect.gen(function*() {
      const { emulator, importer } = yield* env()
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const bob = emulator.addPerson({ primary_email: "bob@widget.com" })
      emulator.addContact(ann.id, { label: "work", telephone: "+12125550100", integration: true })
      emulator.addContact(ann.id, { label: "home", telephone: "+12125550199", integration: false })
      emulator.addContact(bob.id, { label: "mobile", telephone: "+12125550111", integration: true })
      const csv = Import.contactDetailsCsv([
        { person: "ann@widget.com", protocol: "email", label: "personal", uri: "ann.o'hara+äö@home.example" },
        { person: "bob@widget.com", protocol: "telephone", label: "mobile", uri: "+12125550111" },
        { person: "nobody@widget.com", protocol: "telephone", label: "work", uri: "+12125550122" },
        { person: "bob@widget.com", protocol: "website", label: "work", uri: "https://bob.example/a,b" }
      ])
      const token = yield* importer.createImport("people_contact_details", { name: "details.csv", content: csv })
      const status = yield* importer.awaitImport(token)
      expect(status.state).toBe("done")
      expect(status.results).toMatchObject({ created: 2, deleted: 1, unchanged: 1, failures: 1, errors: 0 })
      expect(stateOf(emulator, ann.id)).toEqual(["home|+12125550199|false", "personal|ann.o'hara+äö@home.example|true"])
      expect(stateOf(emulator, bob.id)).toEqual(["mobile|+12125550111|true", "work|https://bob.example/a,b|true"])
      // one upload, polls under the same client
      const posts = emulator.requests().filter((r) => r.method === "POST" && r.path.endsWith("/import"))
      expect(posts).toHaveLength(1)
      // the log names the unknown e-mail; the download host never sees a credential
      const log = yield* importer.readLog(status.logfile!)
      expect(log.join("\n")).toContain("nobody@widget.com")
      const downloads = emulator.downloads.requests()
      expect(downloads.length).toBeGreaterThan(0)
      for (const r of downloads) {
        expect(r.headers["authorization"]).toBeUndefined()
        expect(r.headers["x-xurrent-account"]).toBeUndefined()
      }
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("state: error is an ImportFailed with the message, the results and the log file, not retryable", () =>
    Effect.gen(function*() {
      const { emulator, importer } = yield* env()
      emulator.addPerson({ primary_email: "ann@widget.com" })
      emulator.imports.failNext({ message: "Encoding error on line 2" })
      const token = yield* importer.createImport("people_contact_details", {
        name: "details.csv",
        content: Import.contactDetailsCsv([{ person: "ann@widget.com", protocol: "telephone", label: "work", uri: "+12125550100" }])
      })
      const failed = yield* Effect.flip(importer.awaitImport(token))
      expect(failed._tag).toBe("ImportFailed")
      if (failed._tag !== "ImportFailed") return
      expect(failed.message).toBe("Encoding error on line 2")
      expect(failed.token).toBe(token)
      expect(failed.isRetryable).toBe(false)
      expect(failed.reason).toContain(token)
      expect(failed.toPeopleError()).toMatchObject({ _tag: "InvalidRequest", sent: true, field: "file" })
      // a malformed file ends in error too (the emulator reads the file for real)
      const bad = yield* importer.createImport("people_contact_details", { name: "bad.csv", content: "Person,Contact Protocol\n\"unclosed,telephone\n" })
      const malformed = yield* Effect.flip(importer.awaitImport(bad))
      expect(malformed._tag).toBe("ImportFailed")
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a poll that fails (502, a reset) is polled again on the schedule: the same token, one upload", () =>
    Effect.gen(function*() {
      const { emulator, importer } = yield* env({ emulator: { importTicks: 4 }, client: { retry: { times: 0 } } })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const token = yield* importer.createImport("people_contact_details", {
        name: "details.csv",
        content: Import.contactDetailsCsv([{ person: "ann@widget.com", protocol: "telephone", label: "work", uri: "+12125550100" }])
      })
      yield* emulator.faults.inject({ fault: { _tag: "Status", status: 502, body: "<html>bad gateway</html>" }, method: "GET", path: /\/import\//, times: 2 })
      yield* emulator.faults.inject({ fault: { _tag: "Reset" }, method: "GET", path: /\/import\//, times: 1 })
      const status = yield* importer.awaitImport(token)
      expect(status.state).toBe("done")
      expect(yield* emulator.faults.injected).toBe(3)
      expect(stateOf(emulator, ann.id)).toEqual(["work|+12125550100|true"])
      expect(emulator.requests().filter((r) => r.method === "POST")).toHaveLength(1)
    }).pipe(Effect.provide(HttpLive)))

  it.scoped("polling is bounded: past the timeout, a retryable Unavailable naming the token; the backoff grows to its cap", () =>
    Effect.gen(function*() {
      const { emulator, importer } = yield* env({ emulator: { importTicks: 10_000 } })
      emulator.addPerson({ primary_email: "ann@widget.com" })
      const token = yield* importer.createImport("people_contact_details", {
        name: "details.csv",
        content: Import.contactDetailsCsv([{ person: "ann@widget.com", protocol: "telephone", label: "work", uri: "+12125550100" }])
      })
      const fiber = yield* Effect.fork(importer.awaitImport(token, { interval: "1 second", cap: "30 seconds", timeout: "2 minutes" }))
      const exit = yield* drive(fiber, "1 minute")
      expect(Exit.isFailure(exit)).toBe(true)
      const failure = yield* Effect.flip(Fiber.join(fiber))
      expect(failure._tag).toBe("Unavailable")
      expect(failure.isRetryable).toBe(true)
      expect(failure.message).toContain(token)
      // 1, 2, 4, 8, 16, 30, 30, 30 s … within 2 minutes: a handful of polls, not one a second
      const polls = emulator.requests().filter((r) => r.method === "GET" && r.path.includes("/import/")).length
      expect(polls).toBeGreaterThanOrEqual(6)
      expect(polls).toBeLessThanOrEqual(10)
    }).pipe(Effect.provide(HttpLive)))
})

describe("Export", () => {
  it.scopedLive("an export with shuffled columns, an unknown column and the tab guard decodes; the download host never sees a token", () =>
    Effect.gen(function*() {
      const { emulator, exporter } = yield* env()
      const ann = emulator.addPerson({ primary_email: "ann@widget.com", name: "Ann, \"the\" First", employeeID: "=E1" })
      emulator.addContact(ann.id, { label: "work", telephone: "+1 212 555 0100", integration: true })
      emulator.addContact(ann.id, { label: "chat_slack", chat: "@ann", integration: false })
      emulator.addContact(ann.id, { label: "work", website: "-dash.example", integration: true })
      const read = (types: ReadonlyArray<Export.ExportType>) =>
        Effect.gen(function*() {
          const token = Option.getOrThrow(yield* exporter.createExport(types))
          const url = yield* exporter.awaitExport(token)
          return Chunk.toReadonlyArray(yield* Stream.runCollect(exporter.downloadExport(url)))
        })
      const headers = new Set<string>()
      for (let i = 0; i < 3; i++) {
        const rows = yield* read(["people", "people_contact_details"])
        const people = rows.filter((r) => Export.typeOf(r) === "people").map((r) => Either.getOrThrow(Export.decodePerson(r)))
        const details = rows.filter((r) => Export.typeOf(r) === "people_contact_details").map((r) => Either.getOrThrow(Export.decodeContactDetail(r)))
        expect(people).toMatchObject([{ id: String(ann.id), name: "Ann, \"the\" First", primary_email: "ann@widget.com", employeeID: "=E1" }])
        expect(details.map((d) => [d.person, d.protocol, d.label, d.uri, d.integration]).sort()).toEqual([
          ["ann@widget.com", "chat", "chat_slack", "@ann", false],
          ["ann@widget.com", "telephone", "work", "+1 212 555 0100", true],
          ["ann@widget.com", "website", "work", "-dash.example", true]
        ])
        for (const r of rows) headers.add(r.header.join(","))
        expect(rows.some((r) => r.header.includes("Node ID"))).toBe(true)
      }
      // the column order changed between exports
      expect(headers.size).toBeGreaterThan(2)
      const downloads = emulator.downloads.requests()
      expect(downloads.length).toBe(3)
      for (const r of downloads) {
        expect(Object.keys(r.headers).map((h) => h.toLowerCase())).not.toContain("authorization")
        expect(Object.keys(r.headers).map((h) => h.toLowerCase())).not.toContain("x-xurrent-account")
      }
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("nothing changed since from: 204 is None, not an error", () =>
    Effect.gen(function*() {
      const { emulator, exporter } = yield* env()
      emulator.addPerson({ primary_email: "ann@widget.com" })
      const none = yield* exporter.createExport(["people", "people_contact_details"], { from: new Date(Date.now() + 3_600_000) })
      expect(Option.isNone(none)).toBe(true)
      const some = yield* exporter.createExport("people", { from: new Date(0) })
      expect(Option.isSome(some)).toBe(true)
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("a download that fails with 503 then answers is read; an expired signature (403) fails at once", () =>
    Effect.gen(function*() {
      const { emulator, exporter } = yield* env()
      emulator.addPerson({ primary_email: "ann@widget.com" })
      const token = Option.getOrThrow(yield* exporter.createExport("people"))
      const url = yield* exporter.awaitExport(token)
      yield* emulator.downloads.faults.inject({ fault: { _tag: "Status", status: 503 }, times: 2 })
      const rows = yield* Stream.runCollect(exporter.downloadExport(url))
      expect(Chunk.size(rows)).toBe(1)
      const forged = new URL(url)
      forged.searchParams.set("X-Amz-Signature", "0".repeat(64))
      const refused = yield* Effect.flip(Stream.runCollect(exporter.downloadExport(forged.href)))
      expect(refused._tag).toBe("Forbidden")
      expect(refused.isRetryable).toBe(false)
    }).pipe(Effect.provide(HttpLive)))
})

describe("ContactBook.bulk", () => {
  it.scopedLive("exportAll reads what the REST listing reads: the same people, contacts, ids, labels and flags", () =>
    Effect.gen(function*() {
      const { emulator, book, bulk } = yield* env()
      for (let i = 0; i < 12; i++) {
        const p = emulator.addPerson({ primary_email: `p${i}@widget.com` })
        emulator.addGeneratedContacts(p.id, i % 4)
        if (i % 3 === 0) emulator.addContact(p.id, { label: "emergency", telephone: "+1 (713) 987 2967", integration: false })
      }
      const snapshot = yield* bulk.exportAll()
      expect(snapshot.completeness.complete).toBe(true)
      expect(snapshot.people).toHaveLength(12)
      for (const person of emulator.people.values()) {
        const id = String(person.id)
        expect(snapshot.primaryEmails.get(id)).toBe(person.primary_email)
        const listed = Chunk.toReadonlyArray(yield* Stream.runCollect(book.list(id)))
        const shape = (c: ContactBook.Contact) => [c.id, c.point.kind, c.point.label, c.point.customLabel, c.point.value, c.integration]
        expect((snapshot.contacts.get(id) ?? []).map(shape).sort()).toEqual(listed.map(shape).sort())
      }
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("replaceIntegrationContacts: onToken before polling; a resumed token is polled, not uploaded again; other integrations' contacts kept exactly", () =>
    Effect.gen(function*() {
      const { emulator, bulk } = yield* env({ emulator: { importTicks: 3 } })
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const other = emulator.addContact(ann.id, { label: "work", telephone: "+1 (713) 987 2967", integration: true })
      emulator.addContact(ann.id, { label: "home", telephone: "+17135550100", integration: false })
      const snapshot = yield* bulk.exportAll()
      const kept = snapshot.contacts.get(String(ann.id))!.find((c) => c.id === String(other.id))!
      const rows: ReadonlyArray<ContactBook.Replacement> = [{
        personId: String(ann.id),
        primaryEmail: "ann@widget.com",
        contacts: [{ id: kept.id, point: kept.point }, { point: point("phone", "+1 212 555 0100", "mobile") }]
      }]
      const seen: Array<{ token: string; state: string | undefined }> = []
      // the first run loses sight of the import right after the upload
      const first = yield* Effect.either(bulk.replaceIntegrationContacts(rows, {
        onToken: (token) =>
          Effect.sync(() => seen.push({ token, state: emulator.imports.get(token)?.state })).pipe(
            Effect.zipRight(Effect.fail("stopped after the upload" as never))
          )
      }))
      expect(Either.isLeft(first)).toBe(true)
      expect(seen).toHaveLength(1)
      expect(seen[0]!.state).not.toBe("done")
      // the next run resumes polling the same import
      const result = yield* bulk.replaceIntegrationContacts(rows, { resume: seen[0]!.token })
      expect(result).toMatchObject({ created: 1, unchanged: 1, deleted: 0, failures: 0, errors: 0 })
      expect(emulator.requests().filter((r) => r.method === "POST" && r.path.endsWith("/import"))).toHaveLength(1)
      expect(stateOf(emulator, ann.id)).toEqual(["home|+17135550100|false", "mobile|+12125550100|true", "work|+1 (713) 987 2967|true"])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("an import in state error fails with InvalidRequest (sent) naming the token; a bad point leaves its person out", () =>
    Effect.gen(function*() {
      const { emulator, bulk } = yield* env()
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      const bob = emulator.addPerson({ primary_email: "bob@widget.com" })
      emulator.addContact(bob.id, { label: "work", telephone: "+12125550100", integration: true })
      emulator.imports.failNext({ message: "Malformed CSV on line 3" })
      const failed = yield* Effect.flip(bulk.replaceIntegrationContacts([
        { personId: String(ann.id), primaryEmail: "ann@widget.com", contacts: [{ point: point("phone", "+1 212 555 0101", "work") }] }
      ]))
      expect(failed).toMatchObject({ _tag: "InvalidRequest", sent: true, field: "file" })
      expect(failed.reason).toContain("Malformed CSV on line 3")
      const result = yield* bulk.replaceIntegrationContacts([
        { personId: String(ann.id), primaryEmail: "ann@widget.com", contacts: [{ point: point("website", "javascript:alert(1)", "work") }] },
        { personId: String(bob.id), primaryEmail: "bob@widget.com", contacts: [{ point: point("phone", "+1 212 555 0199", "mobile") }] }
      ])
      expect(result.errors).toBe(1)
      expect(result.log.join("\n")).toContain("ann@widget.com")
      expect(stateOf(emulator, ann.id)).toEqual([])
      expect(stateOf(emulator, bob.id)).toEqual(["mobile|+12125550199|true"])
    }).pipe(Effect.provide(HttpLive)))

  it.scopedLive("exportAll with since: only what changed; nothing changed is an empty snapshot", () =>
    Effect.gen(function*() {
      const { emulator, bulk } = yield* env()
      const ann = emulator.addPerson({ primary_email: "ann@widget.com" })
      emulator.addPerson({ primary_email: "bob@widget.com" })
      const empty = yield* bulk.exportAll({ since: new Date(Date.now() + 3_600_000) })
      expect(empty.people).toHaveLength(0)
      expect(empty.contacts.size).toBe(0)
      yield* Effect.sleep("5 millis")
      const since = new Date()
      yield* Effect.sleep("5 millis")
      yield* bulk.replaceIntegrationContacts([
        { personId: String(ann.id), primaryEmail: "ann@widget.com", contacts: [{ point: point("phone", "+1 212 555 0101", "work") }] }
      ])
      const changed = yield* bulk.exportAll({ since })
      expect([...changed.contacts.keys()]).toEqual([String(ann.id)])
      expect(changed.contacts.get(String(ann.id))!.map((c) => c.point.value)).toEqual(["+12125550101"])
    }).pipe(Effect.provide(HttpLive)))
})

describe("ContactBook.bulk over stub areas", () => {
  const zipOf = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])))
  const exporterOf = (bytes: Uint8Array): Export.Service => ({
    createExport: () => Effect.succeed(Option.some("t1" as Export.ExportToken)),
    readExport: () => Effect.die("not used"),
    awaitExport: () => Effect.succeed("https://downloads.example/x.zip"),
    downloadExport: () => Export.readZip(Stream.make(bytes)).pipe(Stream.orDie)
  })
  const importer: Import.Service = {
    createImport: () => Effect.die("not used"),
    readImport: () => Effect.die("not used"),
    awaitImport: () => Effect.die("not used"),
    readLog: () => Effect.die("not used")
  }

  it.effect("a download that breaks off halfway is read again from its start: nothing twice, nothing lost", () =>
    Effect.gen(function*() {
      const lines = ["ID,Person,Contact Protocol,Contact Label,Contact URI,Integration"]
      for (let i = 0; i < 200; i++) lines.push(`${100 + i},p${i % 50}@widget.com,telephone,work,+1212555${String(1000 + i)},true`)
      const people = ["ID,Primary Email", ...Array.from({ length: 50 }, (_, i) => `${i + 1},p${i}@widget.com`)].join("\r\n")
      const bytes = zipOf({ "people.csv": people, "people_contact_details.csv": lines.join("\r\n") })
      let downloads = 0
      const exporter: Export.Service = {
        ...exporterOf(bytes),
        downloadExport: () => {
          downloads++
          const rows = Export.readZip(Stream.make(bytes)).pipe(Stream.orDie)
          return downloads === 1
            ? Stream.concat(Stream.take(rows, 120), Stream.fail(new PeopleError.Unavailable({ module: "test", method: "downloadExport", reason: "the download broke off" })))
            : rows
        }
      }
      const snapshot = yield* PeopleContactsPeople.makeBulk(importer, exporter).exportAll()
      expect(downloads).toBe(2)
      expect(snapshot.completeness.complete).toBe(true)
      expect(snapshot.people).toHaveLength(50)
      expect([...snapshot.contacts.values()].reduce((n, list) => n + list.length, 0)).toBe(200)
      expect(snapshot.contacts.get("1")!.map((c) => c.id)).toEqual(["100", "150", "200", "250"])
    }))

  it.effect("a contact row that does not decode is kept aside: its person's contacts are left to the REST read, the read is incomplete", () =>
    Effect.gen(function*() {
      const bytes = zipOf({
        "people.csv": "Primary Email,ID,Name\r\nann@widget.com,1,Ann\r\nbob@widget.com,2,Bob\r\n,,\r\n",
        "people_contact_details.csv": [
          "Contact Label,Person,ID,Contact URI,Contact Protocol,Integration",
          "work,ann@widget.com,11,\t+1 212 555 0100,telephone,true",
          "work,ann@widget.com,12,ann@widget.com,email,perhaps",
          "mobile,bob@widget.com,21,\t+1 212 555 0101,telephone,false",
          "work,carol@widget.com,31,+1 212 555 0102,telephone,true",
          ""
        ].join("\r\n")
      })
      const bulk = PeopleContactsPeople.makeBulk(importer, exporterOf(bytes))
      const snapshot = yield* bulk.exportAll()
      expect(snapshot.people.map((p) => p.name.display)).toEqual(["Ann", "Bob"])
      // Ann's contacts are not all known: not in the map, so they are read one by one
      expect(snapshot.contacts.has("1")).toBe(false)
      expect(snapshot.contacts.get("2")!.map((c) => [c.id, c.point.value, c.integration])).toEqual([["21", "+1 212 555 0101", false]])
      expect(snapshot.completeness.complete).toBe(false)
      expect(snapshot.completeness.issues.join("\n")).toContain("people_contact_details.csv, line 3, column Integration")
      expect(snapshot.completeness.issues.join("\n")).toContain("carol@widget.com")
      // the person row without an id is listed as unreadable
      expect(snapshot.completeness.unreadable).toHaveLength(1)
      expect(snapshot.primaryEmails.get("1")).toBe("ann@widget.com")
    }))
})
