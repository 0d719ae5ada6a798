/**
 * The People system's label rules (seed 004): how it spells each canonical
 * label and which value fields it allows with it. `work` is for telephone,
 * e-mail and website; `personal` for e-mail and website; `home`, `mobile` and
 * `fax` for telephone; the four `chat_*` labels for chat. A company `main`
 * number, and `other`, have no label there. Labels seen in real accounts
 * beyond this list (`emergency`) are kept when reading, as custom labels.
 *
 * @since 0.1.0
 */
import * as Label from "@unified-people/core/Label"

/**
 * The People system's spelling of the canonical labels.
 *
 * @since 0.1.0
 * @category rules
 */
export const spelling: ReadonlyArray<Label.Spelling> = [
  { remote: "work", label: "work", kinds: ["phone", "email", "website"] },
  { remote: "home", label: "home", kinds: ["phone"] },
  { remote: "mobile", label: "mobile", kinds: ["phone"] },
  { remote: "fax", label: "fax", kinds: ["phone"] },
  { remote: "personal", label: "personal", kinds: ["email", "website"] },
  { remote: "chat_skype", label: "chat_skype", kinds: ["chat"] },
  { remote: "chat_slack", label: "chat_slack", kinds: ["chat"] },
  { remote: "chat_teams", label: "chat_teams", kinds: ["chat"] },
  { remote: "chat_workchat", label: "chat_workchat", kinds: ["chat"] }
]

/**
 * The projection of the canonical labels onto the People system: `fromRemote`,
 * `toRemote`, `canHold` and the rules.
 *
 * @since 0.1.0
 * @category rules
 */
export const projection: Label.Projection = Label.projection(spelling)
