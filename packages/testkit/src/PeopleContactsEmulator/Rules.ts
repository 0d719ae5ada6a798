/**
 * The contact rules the People-Contacts API applies on receipt, as the
 * emulator checks them: exactly one value field (`email`, `telephone`, `chat`
 * or `website`) of at most 255 characters, a `label` from the API's list (seed
 * 004, "label — Required enum") allowed with that field, and a boolean
 * `integration`; each broken rule is one `[field, message]` of the `422` body.
 *
 * These are the server's rules, written down on the emulator's side: the
 * adapter has its own copy (checked before sending), and a test of the adapter
 * checks that both agree, so an adapter that got a rule wrong meets a server
 * that did not.
 *
 * @since 0.1.0
 */

/**
 * The value fields of a contact, in the API's order.
 *
 * @since 0.1.0
 * @category rules
 */
export const valueFields = ["email", "telephone", "chat", "website"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type ValueField = (typeof valueFields)[number]

/**
 * The longest value the API accepts.
 *
 * @since 0.1.0
 * @category rules
 */
export const maxLength = 255

/**
 * The API's labels and the value fields each allows (seed 004), in the API's order.
 *
 * @since 0.1.0
 * @category rules
 */
export const labels: ReadonlyArray<{ readonly label: string; readonly fields: ReadonlyArray<ValueField> }> = [
  { label: "work", fields: ["telephone", "email", "website"] },
  { label: "home", fields: ["telephone"] },
  { label: "mobile", fields: ["telephone"] },
  { label: "fax", fields: ["telephone"] },
  { label: "personal", fields: ["email", "website"] },
  { label: "chat_skype", fields: ["chat"] },
  { label: "chat_slack", fields: ["chat"] },
  { label: "chat_teams", fields: ["chat"] },
  { label: "chat_workchat", fields: ["chat"] }
]

/**
 * Every label the API accepts.
 *
 * @since 0.1.0
 * @category rules
 */
export const knownLabels: ReadonlyArray<string> = labels.map((rule) => rule.label)

/**
 * One broken rule: the field at fault and the API's message.
 *
 * @since 0.1.0
 * @category models
 */
export interface Violation {
  readonly field: string
  readonly message: string
}

const oneOf = "exactly one of email, telephone, chat or website must be present"

/**
 * The fields a label allows, in the API's words (`email, telephone and website`).
 *
 * @since 0.1.0
 * @category rules
 */
export const allowedFieldsText = (label: string): string | undefined => {
  const rule = labels.find((r) => r.label === label)
  if (rule === undefined) return undefined
  const fields = valueFields.filter((f) => rule.fields.includes(f))
  return fields.length <= 1 ? fields.join("") : `${fields.slice(0, -1).join(", ")} and ${fields[fields.length - 1]}`
}

/**
 * Whether a label may be used with a value field.
 *
 * @since 0.1.0
 * @category rules
 */
export const isAllowed = (label: string, field: ValueField): boolean =>
  labels.find((r) => r.label === label)?.fields.includes(field) === true

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

/**
 * The violations of a complete contact (a create, or an update merged into the
 * stored contact), in the order the API lists them.
 *
 * @since 0.1.0
 * @category rules
 */
export const validateContact = (body: Readonly<Record<string, unknown>>): ReadonlyArray<Violation> => {
  const fields = valueFields.filter((f) => body[f] !== undefined && body[f] !== null)
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
