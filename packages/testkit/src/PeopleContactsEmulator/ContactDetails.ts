/**
 * The `people_contact_details` CSV of the People system's Import and Export
 * APIs, as the emulator reads and applies it.
 *
 * Columns (matched by name, any case, in any order; unknown ones ignored):
 * `Person` (the person's primary e-mail), `Contact Protocol` (`telephone`,
 * `email`, `website`, `chat`), `Contact Label`, `Contact URI` (all four
 * required), `Address Label`, `Address Address`, `Address City`,
 * `Address State`, `Address Zip`, `Address Country`, `Integration`
 * (`true`/`1`, `false`/`0`/empty) and `ID` (an existing contact detail to
 * update). The file is UTF-8 or UTF-16LE (after its byte order mark), comma or
 * tab separated.
 *
 * Applying it, group by group (a group: adjacent rows of one person):
 *
 * - a person whose group has a row with `Integration` true (and no error) gets every
 *   integration-owned contact replaced by the group's rows: a row with the
 *   `ID` of one of them updates it (`updated`, or `unchanged` when equal), a row
 *   without `ID` equal to one of them no row names by `ID` keeps it
 *   (`unchanged`), any other row creates one (`created`), and the owned
 *   contacts no row kept are deleted (`deleted`); contacts the person typed
 *   themselves (integration false) are never removed (a row with `Integration`
 *   false equal to one keeps it, another creates one);
 * - a group of rows for the same person later in the file replaces again
 *   (rows of one person must be adjacent);
 * - a row whose `Person` is no person's primary e-mail (any case) is a
 *   `failure`, with a log line;
 * - a row that breaks the API's contact rules (a label not in the list or not
 *   allowed with its protocol, a blank or too long value, an unknown protocol,
 *   a bad `Integration`, an `ID` that is not a contact of that person, an
 *   address row: the emulator keeps no addresses) is an `error`, with a log
 *   line; it is not applied, a contact it names by `ID` is kept as it is, and
 *   it does not make a replacement (a person whose rows are all in error keeps
 *   every contact).
 *
 * @since 0.1.0
 */
import { CsvError, parse } from "csv-parse/sync"
import * as Bulk from "../internal/peopleContactsEmulator/bulk.js"
import * as Rules from "./Rules.js"
import type * as Store from "./Store.js"

/**
 * The columns of the file, in the vendor's order (the export adds `ID` first).
 *
 * @since 0.1.0
 * @category columns
 */
export const columns = [
  "Person",
  "Contact Protocol",
  "Contact Label",
  "Contact URI",
  "Address Label",
  "Address Address",
  "Address City",
  "Address State",
  "Address Zip",
  "Address Country",
  "Integration"
] as const

/**
 * The columns an import file must have.
 *
 * @since 0.1.0
 * @category columns
 */
export const requiredColumns: ReadonlyArray<string> = ["Person", "Contact Protocol", "Contact Label", "Contact URI"]

const addressColumns = ["Address Label", "Address Address", "Address City", "Address State", "Address Zip", "Address Country"] as const

/**
 * One row of an import file: its line (where the record starts) and its values
 * by column (empty when the column is absent).
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly line: number
  readonly values: Readonly<Record<string, string>>
}

/**
 * What an import did: the counts of the status answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Results {
  created: number
  updated: number
  deleted: number
  unchanged: number
  failures: number
  errors: number
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const emptyResults = (): Results => ({ created: 0, updated: 0, deleted: 0, unchanged: 0, failures: 0, errors: 0 })

/**
 * Reads an import file: its rows, or why the whole file is refused (an
 * encoding error naming the line, CSV that does not parse, a missing header or
 * required column).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseFile = (bytes: Uint8Array): { readonly rows: ReadonlyArray<Row> } | { readonly error: string } => {
  const decoded = Bulk.decodeText(bytes)
  if ("error" in decoded) return decoded
  const text = decoded.text
  let records: Array<{ readonly record: Array<string>; readonly info: { readonly lines: number } }>
  try {
    records = parse(text, { delimiter: Bulk.delimiterOf(text), info: true, skip_empty_lines: true, bom: true })
  } catch (error) {
    return { error: error instanceof CsvError ? error.message : "the file could not be read as CSV" }
  }
  const header = records[0]
  if (header === undefined) return { error: "the file is empty: the first line must hold the column headers" }
  const names = header.record.map((name) => name.trim().toLowerCase())
  const missing = requiredColumns.filter((column) => !names.includes(column.toLowerCase()))
  if (missing.length > 0) return { error: `missing required column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}` }
  const index = new Map<string, number>()
  for (const column of [...columns, "ID"]) {
    const at = names.indexOf(column.toLowerCase())
    if (at >= 0) index.set(column, at)
  }
  const rows = records.slice(1).map(({ info, record }): Row => {
    const values: Record<string, string> = {}
    for (const [column, at] of index) values[column] = record[at] ?? ""
    const spanned = record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0)
    return { line: info.lines - spanned, values }
  })
  return { rows }
}

const protocols: ReadonlyArray<Rules.ValueField> = ["telephone", "email", "website", "chat"]

const integrationOf = (text: string): boolean | undefined => {
  const value = text.trim().toLowerCase()
  if (value === "true" || value === "1") return true
  if (value === "false" || value === "0" || value === "") return false
  return undefined
}

const fieldOf = (contact: Store.StoredContact): Rules.ValueField | undefined => Rules.valueFields.find((f) => contact[f] !== undefined)

const sameContact = (contact: Store.StoredContact, field: Rules.ValueField, label: string, value: string) =>
  fieldOf(contact) === field && contact[field] === value && contact.label === label

/**
 * Applies rows to the store, group by group (at most `groups` groups when
 * given), as the service applies an import; the counts and the log lines.
 *
 * @since 0.1.0
 * @category applying
 */
export const apply = (
  store: Store.Store,
  rows: ReadonlyArray<Row>,
  options: { readonly groups?: number | undefined } = {}
): { readonly results: Results; readonly log: ReadonlyArray<string> } => {
  const results = emptyResults()
  const log: Array<string> = []
  const byEmail = new Map<string, Store.StoredPerson>()
  for (const person of store.people.values()) byEmail.set(person.primary_email.trim().toLowerCase(), person)

  const groups: Array<{ readonly key: string; readonly rows: Array<Row> }> = []
  for (const row of rows) {
    const key = (row.values["Person"] ?? "").trim().toLowerCase()
    const last = groups[groups.length - 1]
    if (last !== undefined && last.key === key) last.rows.push(row)
    else groups.push({ key, rows: [row] })
  }

  const applyGroup = (person: Store.StoredPerson, group: ReadonlyArray<Row>) => {
    const owned = store.contactsOf(person.id).filter((c) => c.integration)
    // contacts named by an `ID` (kept as they are when their row is in error), then kept by a row
    const kept = new Set<number>()
    const error = (row: Row, text: string) => {
      results.errors++
      log.push(`line ${row.line}: ${text}`)
      const id = Number((row.values["ID"] ?? "").trim())
      if (Number.isInteger(id) && owned.some((c) => c.id === id)) kept.add(id)
    }
    // first every row is checked (the rows naming a contact by `ID` claim it), then applied in order
    const checked: Array<{
      readonly field: Rules.ValueField
      readonly label: string
      readonly value: string
      readonly integration: boolean
      readonly contact: Store.StoredContact | undefined
    }> = []
    for (const row of group) {
      const v = (column: string) => row.values[column] ?? ""
      const integration = integrationOf(v("Integration"))
      if (integration === undefined) {
        error(row, `Integration "${v("Integration")}" must be true or false`)
        continue
      }
      const protocol = v("Contact Protocol").trim().toLowerCase()
      if (protocol === "") {
        if (addressColumns.some((column) => v(column).trim() !== "")) {
          error(row, "address rows are not emulated (the emulator keeps contact details only)")
        } else error(row, "Contact Protocol can't be blank")
        continue
      }
      const field = protocols.find((p) => p === protocol)
      if (field === undefined) {
        error(row, `Contact Protocol "${v("Contact Protocol")}" is not included in the list`)
        continue
      }
      const label = v("Contact Label").trim()
      const value = v("Contact URI")
      const violations = Rules.validateContact({ label, [field]: value, integration })
      if (violations.length > 0) {
        error(row, violations.map((violation) => `${violation.field} ${violation.message}`).join("; "))
        continue
      }
      const idText = v("ID").trim()
      if (idText === "") {
        checked.push({ field, label, value, integration, contact: undefined })
        continue
      }
      const id = Number(idText)
      const contact = Number.isInteger(id) ? store.contacts.get(id) : undefined
      if (contact === undefined || contact.personId !== person.id) {
        error(row, `contact detail ${idText} is not a contact detail of ${person.primary_email}`)
      } else if (contact.integration !== integration) {
        error(row, `contact detail ${idText}: Integration cannot change`)
      } else if (checked.some((c) => c.contact === contact)) {
        error(row, `contact detail ${idText} appears twice`)
      } else {
        kept.add(contact.id)
        checked.push({ field, label, value, integration, contact })
      }
    }
    // only rows that can be applied make a replacement: a group whose rows are all in error changes nothing
    const replace = checked.some((row) => row.integration)
    for (const { contact, field, integration, label, value } of checked) {
      if (contact !== undefined) {
        if (sameContact(contact, field, label, value)) {
          results.unchanged++
        } else {
          for (const f of Rules.valueFields) delete contact[f]
          contact[field] = value
          contact.label = label
          store.touch(person.id)
          results.updated++
        }
        continue
      }
      const candidates = integration ? owned : store.contactsOf(person.id).filter((c) => !c.integration)
      const same = candidates.find((c) => !kept.has(c.id) && sameContact(c, field, label, value))
      if (same !== undefined) {
        kept.add(same.id)
        results.unchanged++
        continue
      }
      store.addContact(person.id, { label, [field]: value, integration, verified: false })
      results.created++
    }
    if (!replace) return
    for (const contact of owned) {
      if (kept.has(contact.id) || !store.contacts.has(contact.id)) continue
      store.deleteContact(person.id, contact.id)
      results.deleted++
    }
  }

  let applied = 0
  for (const group of groups) {
    if (options.groups !== undefined && applied >= options.groups) break
    applied++
    const person = byEmail.get(group.key)
    if (person === undefined) {
      for (const row of group.rows) {
        results.failures++
        log.push(
          group.key === ""
            ? `line ${row.line}: Person can't be blank`
            : `line ${row.line}: no person with primary e-mail "${(row.values["Person"] ?? "").trim()}"`
        )
      }
      continue
    }
    applyGroup(person, group.rows)
  }
  return { results, log }
}

/**
 * The export's rows of contact details for some people: `ID`, then the file's
 * columns (`Contact URI` holds the value; `Integration` is `true`/`false`).
 *
 * @since 0.1.0
 * @category exporting
 */
export const exportRows = (
  store: Store.Store,
  people: Iterable<Store.StoredPerson>
): Array<Readonly<Record<string, string>>> => {
  const rows: Array<Readonly<Record<string, string>>> = []
  for (const person of people) {
    for (const contact of store.contactsOf(person.id)) {
      const field = fieldOf(contact)
      rows.push({
        ID: String(contact.id),
        Person: person.primary_email,
        "Contact Protocol": field ?? "",
        "Contact Label": contact.label,
        "Contact URI": field === undefined ? "" : contact[field] ?? "",
        "Address Label": "",
        "Address Address": "",
        "Address City": "",
        "Address State": "",
        "Address Zip": "",
        "Address Country": "",
        Integration: String(contact.integration)
      })
    }
  }
  return rows
}
