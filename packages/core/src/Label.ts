/**
 * The canonical label vocabulary and its kind-by-label validity matrix.
 *
 * One data table ({@link table}) holds every canonical label and the contact
 * kinds it may describe. How a remote system spells labels, and which it can
 * store for which kind, belongs to that system's adapter: it describes its
 * spelling to {@link projection}, which checks it against this table and
 * answers both ways (`fromRemote` keeps unknown remote labels as custom ones).
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
  { label: "work", description: "Work number, address or site", kinds: ["phone", "email", "website"] },
  { label: "home", description: "Home telephone", kinds: ["phone"] },
  { label: "mobile", description: "Mobile telephone", kinds: ["phone"] },
  { label: "fax", description: "Fax number", kinds: ["phone"] },
  { label: "personal", description: "Personal e-mail or website", kinds: ["email", "website"] },
  { label: "chat_skype", description: "Skype chat link", kinds: ["chat"] },
  { label: "chat_slack", description: "Slack chat link", kinds: ["chat"] },
  { label: "chat_teams", description: "Microsoft Teams chat link", kinds: ["chat"] },
  { label: "chat_workchat", description: "Workplace chat link", kinds: ["chat"] },
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
 * How one remote system spells a canonical label, and the kinds it stores it
 * for (default: every kind the canonical label allows).
 *
 * @since 0.1.0
 * @category projection
 */
export interface Spelling {
  readonly remote: string
  readonly label: Label
  readonly kinds?: ReadonlyArray<Kind> | undefined
}

/**
 * The projection of the table onto one remote system: how that system spells each
 * canonical label, and back.
 *
 * @since 0.1.0
 * @category projection
 */
export interface Projection {
  /** Remote label → canonical label (unknown remote labels resolve to `other` + custom). */
  readonly fromRemote: (remote: string) => Resolved
  /** Canonical label (+ custom) → remote label, or undefined when the system cannot store it. */
  readonly toRemote: (resolved: Resolved) => string | undefined
  /** Whether the system can store a contact point of this kind under this label (for `other`: when its custom label is one the system knows). */
  readonly canHold: (point: { readonly kind: Kind; readonly label: Label; readonly customLabel?: string | undefined }) => boolean
  /** The remote labels of the projection and the kinds each allows. */
  readonly rules: ReadonlyArray<{ readonly remote: string; readonly label: Label; readonly kinds: ReadonlyArray<Kind> }>
}

/**
 * Builds a system's projection from its spelling. A spelling that names a kind
 * the canonical label does not allow is a programming error (it throws).
 *
 * @since 0.1.0
 * @category projection
 */
export const projection = (spelling: ReadonlyArray<Spelling>): Projection => {
  const rules = spelling.map((s) => {
    const allowed = row(s.label).kinds
    const kinds = s.kinds ?? allowed
    for (const kind of kinds) {
      if (!allowed.includes(kind)) throw new Error(`label ${s.label} does not allow ${kind} (remote ${s.remote})`)
    }
    return { remote: s.remote, label: s.label, kinds }
  })
  const byRemote = new Map(rules.map((r) => [r.remote, r]))
  const byCanonical = new Map(rules.map((r) => [r.label, r]))
  const toRemote = (resolved: Resolved) => resolved.label === "other" ? resolved.custom : byCanonical.get(resolved.label)?.remote
  return {
    rules,
    fromRemote: (remote) => {
      const rule = byRemote.get(remote)
      return rule === undefined ? { label: "other", custom: remote } : { label: rule.label }
    },
    toRemote,
    canHold: (point) => {
      if (point.label === "other") {
        const rule = point.customLabel === undefined ? undefined : byRemote.get(point.customLabel)
        return rule?.kinds.includes(point.kind) === true
      }
      return byCanonical.get(point.label)?.kinds.includes(point.kind) === true
    }
  }
}
