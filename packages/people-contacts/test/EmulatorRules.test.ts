/**
 * The emulator (`@unified-people/testkit/PeopleContactsEmulator`) checks the
 * contacts it receives with its own copy of the API's rules; the adapter
 * checks them before sending (`internal/rules.ts`). Both must say the same.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Emulator from "@unified-people/testkit/PeopleContactsEmulator"
import * as EmulatorRules from "@unified-people/testkit/PeopleContactsEmulator/Rules"
import * as Rules from "../src/internal/rules.js"

describe("the emulator's contact rules", () => {
  it("are the adapter's: the same labels, fields, allowed pairs and 422 messages", () => {
    expect(EmulatorRules.knownLabels).toEqual(Rules.knownLabels)
    expect(EmulatorRules.valueFields).toEqual(Rules.valueFields)
    expect(EmulatorRules.maxLength).toBe(Rules.maxLength)
    const labels: ReadonlyArray<unknown> = [...Rules.knownLabels, "emergency", "Work", "", null, undefined, 7]
    const values: ReadonlyArray<unknown> = ["a@b.example", "+1 650 555 0100", "", " ", "x".repeat(256), 42, null, undefined]
    for (const label of labels) {
      if (typeof label === "string") {
        expect(EmulatorRules.allowedFieldsText(label)).toBe(Rules.allowedFieldsText(label))
        for (const field of Rules.valueFields) expect([label, field, EmulatorRules.isAllowed(label, field)]).toEqual([label, field, Rules.isAllowed(label, field)])
      }
      for (const field of Rules.valueFields) {
        for (const value of values) {
          for (const integration of [undefined, true, "yes"]) {
            const body = { label, [field]: value, ...(integration === undefined ? {} : { integration }) }
            expect(EmulatorRules.validateContact(body)).toEqual(Rules.validateContact(body))
          }
        }
      }
      const two = { label, email: "a@b.example", telephone: "+16505550100" }
      expect(EmulatorRules.validateContact(two)).toEqual(Rules.validateContact(two))
    }
  })

  it("generated contacts obey the adapter's rules", () => {
    const contacts = [...Emulator.make({ seed: 9, people: 30 }).contacts.values()]
    expect(contacts.length).toBeGreaterThan(0)
    expect(contacts.flatMap((contact) => Rules.validateContact({ ...contact }))).toEqual([])
  })
})
