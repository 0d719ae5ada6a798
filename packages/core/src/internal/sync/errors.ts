/**
 * The errors of the sync job that are its own (the others come from the ports
 * and the state store).
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * A run refused by the delete guard: it would delete more than allowed.
 * Nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class MassDeleteRefused extends Schema.TaggedError<MassDeleteRefused>("@unified-people/core/MassDeleteRefused")(
  "MassDeleteRefused",
  {
    deletes: Schema.Number,
    limit: Schema.Number,
    owned: Schema.Number,
    unmatched: Schema.Number,
    unmatchedLimit: Schema.Number,
    linked: Schema.Number,
    /** What the run would delete, one line each (`- delete 123 phone work +1650… on 42: the person left the directory`). */
    deletions: Schema.Array(Schema.String)
  }
) {
  /** Not by itself: the plan has to change, or the deletions be allowed. */
  get isRetryable(): boolean {
    return false
  }
  get reason(): string {
    const over = [
      ...(this.deletes > this.limit
        ? [`would delete ${this.deletes} contacts (limit ${this.limit}; the job owns ${this.owned})`]
        : []),
      ...(this.unmatched > this.unmatchedLimit
        ? [`would unmatch ${this.unmatched} linked people (limit ${this.unmatchedLimit} of ${this.linked})`]
        : [])
    ]
    return `the delete guard refused this run: it ${over.join(" and ")}. Nothing was written. ` +
      "If this is intended, allow it (allowMassDelete / --allow-mass-delete) or raise the limit (maxDeletes / --max-deletes)."
  }
  override get message(): string {
    return this.reason
  }
}

