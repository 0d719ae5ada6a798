import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Directory from "../src/Directory.js"
import { setup } from "./utils.js"

describe("CustomFields", () => {
  it.scopedLive("create, list, update, delete one and several; the sixth field is a typed error", () =>
    Effect.gen(function*() {
      const { customFields, directory, emulator } = yield* setup({ size: 5 })
      const result = yield* Effect.gen(function*() {
        const created = []
        for (const name of ["Employee ID", "Tax number", "Cost center", "Badge", "Desk"]) {
          created.push(yield* customFields.createCustomField({ displayName: name }))
        }
        expect(created.every((f) => f.category === "User" && typeof f.id === "string")).toBe(true)
        const sixth = yield* Effect.flip(customFields.createCustomField({ displayName: "Sixth" }))
        expect(sixth).toMatchObject({ _tag: "InvalidRequest", remoteCode: "CFS-100", status: 400, sent: true })
        const renamed = yield* customFields.updateCustomField(created[0]!.id!, { displayName: "Employee number" })
        expect(renamed.displayName).toBe("Employee number")
        const missing = yield* Effect.flip(customFields.updateCustomField("424242", { displayName: "x" }))
        expect(missing).toMatchObject({ _tag: "NotFound", remoteCode: "CMN-102", status: 404 })
        yield* customFields.deleteCustomField(created[4]!.id!)
        // the comma-separated id path, with a space as in the documentation example
        yield* customFields.deleteCustomField([created[2]!.id!, ` ${created[3]!.id!}`])
        const list = yield* customFields.listCustomFields
        expect(list.records.map((r) => r.displayName)).toEqual(["Employee number", "Tax number"])
        const again = yield* customFields.createCustomField({ displayName: "Again" })
        expect(again.displayName).toBe("Again")
        return created
      })
      // values set on an extension appear in the directory under the field name
      const owner = emulator.store.list()[0]!
      emulator.store.update(owner.id, (e) => {
        e.customFields[result[0]!.id!] = "E-1001"
      })
      const entry = yield* directory.readDirectoryEntry(owner.id)
      expect(entry.customFields).toEqual([{ id: result[0]!.id, name: "Employee number", value: "E-1001" }])
      expect(Directory.toPerson(entry).customFields).toEqual({ "Employee number": "E-1001" })
      const stats = yield* emulator.stats
      expect(stats.byGroup).toMatchObject({ Light: 1, Medium: 12 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
