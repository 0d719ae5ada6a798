/**
 * The canonical label vocabulary and its kind-by-label validity matrix.
 *
 * One data table ({@link table}) holds every canonical label, the contact kinds it
 * may describe and how each remote system spells it. The People-Contacts rules and
 * the RingCentral `usageType` mapping are projections of this table.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The kinds of contact point.
 *
 * @since 0.1.0
 * @category models
 */
export const Kind = Schema.Literal("email", "phone", "chat", "website")

/**
 * @since 0.1.0
 * @category models
 */
export type Kind = typeof Kind.Type

/**
 * Every kind, in a stable order.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds: ReadonlyArray<Kind> = Kind.literals

/**
 * One row of the label table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly label: string
  readonly description: string
  /** Kinds this label may describe. */
  readonly kinds: ReadonlyArray<Kind>
  /** The People-Contacts API label, when that API can store it. */
  readonly peopleContacts?: string
  /** A number carrying this label is shared by many people (never an identity key). */
  readonly shared?: boolean
}

/**
 * The single source of truth for labels.
 *
 * @since 0.1.0
 * @category constants
 */
export const table = [
  { label: "work", description: "Work number, address or site", kinds: ["phone", "email", "website"], peopleContacts: "work" },
  { label: "home", description: "Home telephone", kinds: ["phone"], peopleContacts: "home" },
  { label: "mobile", description: "Mobile telephone", kinds: ["phone"], peopleContacts: "mobile" },
  { label: "fax", description: "Fax number", kinds: ["phone"], peopleContacts: "fax" },
  { label: "personal", description: "Personal e-mail or website", kinds: ["email", "website"], peopleContacts: "personal" },
  { label: "chat_skype", description: "Skype chat link", kinds: ["chat"], peopleContacts: "chat_skype" },
  { label: "chat_slack", description: "Slack chat link", kinds: ["chat"], peopleContacts: "chat_slack" },
  { label: "chat_teams", description: "Microsoft Teams chat link", kinds: ["chat"], peopleContacts: "chat_teams" },
  { label: "chat_workchat", description: "Workplace chat link", kinds: ["chat"], peopleContacts: "chat_workchat" },
  { label: "main", description: "Company main number, shared by many people", kinds: ["phone"], shared: true },
  { label: "other", description: "Anything else; the remote label is kept as a custom label", kinds: ["email", "phone", "chat", "website"] }
] as const satisfies ReadonlyArray<Row>

/**
 * Every canonical label, in table order.
 *
 * @since 0.1.0
 * @category constants
 */
export const labels = [
  "work",
  "home",
  "mobile",
  "fax",
  "personal",
  "chat_skype",
  "chat_slack",
  "chat_teams",
  "chat_workchat",
  "main",
  "other"
] as const satisfies ReadonlyArray<(typeof table)[number]["label"]>

/**
 * A canonical label.
 *
 * @since 0.1.0
 * @category models
 */
export const Label = Schema.Literal(...labels)

/**
 * @since 0.1.0
 * @category models
 */
export type Label = typeof Label.Type


const byLabel: ReadonlyMap<string, Row> = new Map(table.map((row) => [row.label, row]))

/**
 * The table row of a canonical label.
 *
 * @since 0.1.0
 * @category getters
 */
export const row = (label: Label): Row => byLabel.get(label)!

/**
 * Whether a canonical label is a canonical vocabulary member.
 *
 * @since 0.1.0
 * @category guards
 */
export const isLabel = (u: unknown): u is Label => typeof u === "string" && byLabel.has(u)

/**
 * Whether `label` may describe a contact point of `kind` (false for a string
 * outside the vocabulary, so unchecked input never throws).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAllowed = (label: Label, kind: Kind): boolean =>
  (byLabel.get(label)?.kinds as ReadonlyArray<Kind> | undefined)?.includes(kind) ?? false

/**
 * Whether numbers with this label are shared by many people.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isShared = (label: Label): boolean => byLabel.get(label)?.shared === true

/**
 * The labels allowed for a kind, in table order.
 *
 * @since 0.1.0
 * @category getters
 */
export const allowedFor = (kind: Kind): ReadonlyArray<Label> => labels.filter((label) => isAllowed(label, kind))

/**
 * The kind-by-label matrix: for each label, whether each kind is allowed.
 *
 * @since 0.1.0
 * @category getters
 */
export const matrix = (): ReadonlyArray<{ readonly label: Label; readonly allowed: Readonly<Record<Kind, boolean>> }> =>
  labels.map((label) => ({
    label,
    allowed: Object.fromEntries(kinds.map((kind) => [kind, isAllowed(label, kind)])) as Record<Kind, boolean>
  }))

/**
 * A remote label read into the canonical vocabulary: a known label, or `other` with
 * the remote spelling kept as `custom`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  readonly label: Label
  readonly custom?: string
}

/**
 * The projection of the table onto one remote system: how that system spells each
 * canonical label, and back.
 *
 * @since 0.1.0
 * @category models
 */
export interface Projection {
  /** Remote label → canonical label (unknown remote labels resolve to `other` + custom). */
  readonly fromRemote: (remote: string) => Resolved
  /** Canonical label (+ custom) → remote label, or undefined when the system cannot store it. */
  readonly toRemote: (resolved: Resolved) => string | undefined
  /** The remote labels of the projection and the kinds each allows. */
  readonly rules: ReadonlyArray<{ readonly remote: string; readonly label: Label; readonly kinds: ReadonlyArray<Kind> }>
}

/**
 * Builds the projection of the table onto a system, from the table column naming
 * the system's spelling.
 *
 * @since 0.1.0
 * @category constructors
 */
export const projection = (column: "peopleContacts"): Projection => {
  const rules = table.flatMap((r: Row) =>
    r[column] === undefined ? [] : [{ remote: r[column]!, label: r.label as Label, kinds: r.kinds }]
  )
  const fromRemoteMap = new Map(rules.map((r) => [r.remote, r.label]))
  const toRemoteMap = new Map(rules.map((r) => [r.label, r.remote]))
  return {
    rules,
    fromRemote: (remote) => {
      const label = fromRemoteMap.get(remote)
      return label === undefined ? { label: "other", custom: remote } : { label }
    },
    toRemote: (resolved) =>
      resolved.label === "other" ? resolved.custom : toRemoteMap.get(resolved.label)
  }
}

/**
 * The People-Contacts projection (seed 004's label rules).
 *
 * @since 0.1.0
 * @category constants
 */
export const peopleContacts: Projection = projection("peopleContacts")
