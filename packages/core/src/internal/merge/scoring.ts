/**
 * Scoring of a candidate pair: what each outcome of the name comparison adds to
 * the score, and the reason it is reported under.
 *
 * @internal
 */
import type { Weights } from "../../Merge.js"
import type * as Names from "./names.js"

/** @internal */
export const nameWeight = (outcome: Names.Outcome, w: Weights): number => {
  switch (outcome) {
    case "agree":
      return w.nameAgree
    case "partial":
      return w.namePartial
    case "family-conflict":
      return w.familyConflict
    case "given-conflict":
      return w.givenConflict
    case "conflict":
      return w.nameConflict
    case "unknown":
      return 0
  }
}

/** @internal */
export const nameReasons: Readonly<Record<Names.Outcome, string>> = {
  agree: "name:agree",
  partial: "name:partial",
  "given-conflict": "name:given-conflict",
  "family-conflict": "name:family-conflict",
  conflict: "name:conflict",
  unknown: "name:unknown"
}
