/**
 * The contact rules of the People-Contacts API, checked by the client before
 * sending (the testkit emulator checks its own copy on receipt, and a test
 * keeps the two in agreement). Label rules come from `PeopleContactsLabels`.
 *
 * @internal
 */
import type * as Label from "@unified-people/core/Label"
import * as PeopleContactsLabels from "../PeopleContactsLabels.js"

/** @internal */
export const valueFields = ["email", "telephone", "chat", "website"] as const

/** @internal */
export type ValueField = (typeof valueFields)[number]

/** @internal */
export const maxLength = 255

/** @internal */
export const kindOfField: Readonly<Record<ValueField, Label.Kind>> = {
  email: "email",
  telephone: "phone",
  chat: "chat",
  website: "website"
}

/** @internal */
export const fieldOfKind: Readonly<Record<Label.Kind, ValueField>> = {
  email: "email",
  phone: "telephone",
  chat: "chat",
  website: "website"
}

/** @internal */
export const knownLabels: ReadonlyArray<string> = PeopleContactsLabels.projection.rules.map((rule) => rule.remote)

/** @internal */
export interface Violation {
  readonly field: string
  readonly message: string
}

const oneOf = "exactly one of email, telephone, chat or website must be present"

/** The fields a label allows, in the API's words (`telephone, email and website`). @internal */
export const allowedFieldsText = (label: string): string | undefined => {
  const rule = PeopleContactsLabels.projection.rules.find((r) => r.remote === label)
  if (rule === undefined) return undefined
  const fields = valueFields.filter((f) => rule.kinds.includes(kindOfField[f]))
  return fields.length <= 1 ? fields.join("") : `${fields.slice(0, -1).join(", ")} and ${fields[fields.length - 1]}`
}

/** Whether a remote label may be used with a value field. @internal */
export const isAllowed = (label: string, field: ValueField): boolean => {
  const rule = PeopleContactsLabels.projection.rules.find((r) => r.remote === label)
  return rule?.kinds.includes(kindOfField[field]) === true
}

const checkLabel = (label: unknown, field: ValueField | undefined): ReadonlyArray<Violation> => {
  if (label === undefined || label === null || label === "") return [{ field: "label", message: "can't be blank" }]
  if (typeof label !== "string" || !knownLabels.includes(label)) {
    return [{ field: "label", message: "is not included in the list" }]
  }
  if (field !== undefined && !isAllowed(label, field)) {
    return [{ field: "label", message: `${label} is only for ${allowedFieldsText(label)}, not for ${field}` }]
  }
  return []
}

const checkValue = (field: ValueField, value: unknown): ReadonlyArray<Violation> => {
  if (typeof value !== "string") return [{ field, message: "must be a string" }]
  if (value.trim() === "") return [{ field, message: "can't be blank" }]
  if (value.length > maxLength) return [{ field, message: `is too long (maximum is ${maxLength} characters)` }]
  return []
}

const present = (body: Readonly<Record<string, unknown>>): ReadonlyArray<ValueField> =>
  valueFields.filter((f) => body[f] !== undefined && body[f] !== null)

/** The violations of a complete contact (a create, or an update merged into the stored contact). @internal */
export const validateContact = (body: Readonly<Record<string, unknown>>): ReadonlyArray<Violation> => {
  const fields = present(body)
  const violations: Array<Violation> = []
  if (fields.length === 0) violations.push({ field: "base", message: oneOf })
  if (fields.length > 1) violations.push({ field: fields[1]!, message: oneOf })
  for (const f of fields) violations.push(...checkValue(f, body[f]))
  if (body["integration"] !== undefined && typeof body["integration"] !== "boolean") {
    violations.push({ field: "integration", message: "must be true or false" })
  }
  violations.push(...checkLabel(body["label"], fields.length === 1 ? fields[0] : undefined))
  return violations
}

/**
 * The violations a patch shows on its own (the server checks the merged result):
 * at most one value field, lengths, a known label, and the label against the
 * value field when both are set.
 *
 * @internal
 */
export const validatePatch = (body: Readonly<Record<string, unknown>>): ReadonlyArray<Violation> => {
  const fields = present(body)
  const violations: Array<Violation> = []
  if (fields.length > 1) violations.push({ field: fields[1]!, message: oneOf })
  for (const f of fields) violations.push(...checkValue(f, body[f]))
  if (body["integration"] !== undefined && typeof body["integration"] !== "boolean") {
    violations.push({ field: "integration", message: "must be true or false" })
  }
  if (body["label"] !== undefined) violations.push(...checkLabel(body["label"], fields.length === 1 ? fields[0] : undefined))
  return violations
}
