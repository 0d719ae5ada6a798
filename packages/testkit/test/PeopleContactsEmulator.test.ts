import { describe, expect, it } from "@effect/vitest"
import * as Link from "@unified-people/people-contacts/Link"
import { Effect } from "effect"
import * as Emulator from "../src/PeopleContactsEmulator.js"
import * as Rules from "../src/PeopleContactsEmulator/Rules.js"

const call = (emulator: Emulator.Served, path: string, init: { method?: string; body?: string; token?: string; account?: string } = {}) =>
  Effect.promise(async () => {
    const response = await fetch(`${emulator.baseUrl}${path}`, {
      method: init.method ?? "GET",
      headers: {
        Authorization: `Bearer ${init.token ?? emulator.tokens[0]}`,
        "X-Xurrent-Account": init.account ?? emulator.account,
        ...(init.body === undefined ? {} : { "Content-Type": "application/json" })
      },
      ...(init.body === undefined ? {} : { body: init.body })
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, text, json: text === "" ? undefined : JSON.parse(text) as unknown }
  })

describe("Emulator", () => {
  it.scopedLive("creates with 201, ignores readonly id and verified, validates with the API's 422 body", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve()
      const created = yield* call(emulator, "/people/1/contacts", {
        method: "POST",
        body: JSON.stringify({ id: 5, verified: true, label: "work", email: "a@widget.example", integration: true })
      })
      expect(created.status).toBe(201)
      expect(created.json).toMatchObject({ label: "work", email: "a@widget.example", integration: true, verified: false })
      expect((created.json as { id: number }).id).not.toBe(5)
      const id = (created.json as { id: number }).id
      const patched = yield* call(emulator, `/people/1/contacts/${id}`, { method: "PATCH", body: JSON.stringify({ verified: true, id: 1 }) })
      expect(patched.status).toBe(200)
      expect(patched.json).toMatchObject({ id, verified: false })

      const invalid = yield* call(emulator, "/people/1/contacts", { method: "POST", body: JSON.stringify({ label: "emergency", email: "a@b.c" }) })
      expect(invalid.status).toBe(422)
      expect(invalid.json).toEqual({ message: "Validation Failed", errors: [["label", "is not included in the list"]] })
      const broken = yield* call(emulator, "/people/1/contacts", { method: "POST", body: "{label:" })
      expect(broken).toMatchObject({ status: 400, json: { message: "Invalid JSON string posted" } })

      const deleted = yield* call(emulator, `/people/1/contacts/${id}`, { method: "DELETE" })
      expect(deleted).toMatchObject({ status: 204, text: "" })
      const all = yield* call(emulator, "/people/1/contacts/", { method: "DELETE" })
      expect(all.status).toBe(204)
      expect(emulator.contactsOf(1)).toHaveLength(0)
    }))

  it.scopedLive("reproduces the recorded create: 200, nodeID, no flags", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ quirks: Emulator.recordedQuirks })
      const created = yield* call(emulator, "/people/1/contacts", { method: "POST", body: JSON.stringify({ label: "mobile", telephone: "111111" }) })
      expect(created.status).toBe(200)
      expect(Object.keys(created.json as object)).toEqual(["id", "nodeID", "label", "telephone"])
      const list = yield* call(emulator, "/people/1/contacts")
      expect((list.json as Array<object>).every((c) => !("integration" in c) && !("verified" in c))).toBe(true)
    }))

  it.scopedLive("pages with per_page (default 20, max 100), cursors, X-Pagination-* and filters after the cursor", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ people: 250, maxContactsPerPerson: 0 })
      const first = yield* call(emulator, "/people?disabled=false")
      expect((first.json as Array<unknown>)).toHaveLength(20)
      expect(first.headers.get("x-pagination-per-page")).toBe("20")
      const enabled = [...emulator.people.values()].filter((p) => !p.disabled).length
      expect(first.headers.get("x-pagination-total-entries")).toBe(String(enabled))
      const next = Link.next(first.headers.get("link") ?? undefined)!
      expect(next).toMatch(/per_page=20&search_after=[^&]+&disabled=false$/)
      expect(Object.keys((first.json as Array<object>)[0]!).sort()).toEqual(
        ["created_at", "disabled", "id", "manager", "name", "organization", "site", "sourceID", "updated_at"]
      )
      const big = yield* call(emulator, "/people?per_page=500")
      expect((big.json as Array<unknown>)).toHaveLength(100)
      const integer = yield* call(emulator, "/people?per_page=5&search_after=10")
      expect((integer.json as Array<{ id: number }>).map((p) => p.id)).toEqual([11, 12, 13, 14, 15])
      const bad = yield* call(emulator, "/people?search_after=%%%")
      expect(bad.status).toBe(400)
    }))

  it.scopedLive("auth, account and rate-limit answers", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.serve({ burst: { limit: 2, windowMillis: 2000 } })
      const unauthorized = yield* call(emulator, "/people/1", { token: "wrong" })
      expect(unauthorized).toMatchObject({ status: 401, json: { message: "Unauthorized" } })
      expect(unauthorized.headers.get("x-ratelimit-limit")).toBeNull()
      const account = yield* call(emulator, "/people/1", { account: "someone-else" })
      expect(account).toMatchObject({ status: 404, json: { message: "Not found" } })
      const ok = yield* call(emulator, "/people/1")
      expect(ok.headers.get("x-ratelimit-limit")).toBe("3600")
      expect(Number(ok.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000)
      yield* call(emulator, "/people/1")
      const limited = yield* call(emulator, "/people/1")
      expect(limited).toMatchObject({ status: 429, json: { message: "Too Many Requests" } })
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
      expect(limited.headers.get("x-ratelimit-remaining")).toBe("3598")
      const unknown = yield* call(emulator, "/nothing/here")
      expect(unknown).toMatchObject({ status: 404, json: { message: "Not found" } })
    }))

  it("generates the same people for the same seed", () => {
    const a = Emulator.make({ seed: 9, people: 30 })
    const b = Emulator.make({ seed: 9, people: 30 })
    const c = Emulator.make({ seed: 10, people: 30 })
    const names = (e: Emulator.Emulator) => [...e.people.values()].map((p) => `${p.name}/${e.contactsOf(p.id).length}`)
    expect(names(a)).toEqual(names(b))
    expect(names(a)).not.toEqual(names(c))
    // generated contacts obey the API's rules
    const contacts = [...a.contacts.values()]
    expect(contacts.length).toBeGreaterThan(0)
    expect(contacts.flatMap((contact) => Rules.validateContact({ ...contact }))).toEqual([])
  })
})
