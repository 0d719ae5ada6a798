/**
 * Reading and printing plans and summaries: the writes of a plan, its counts,
 * the dry-run listing and the one-line summary.
 *
 * @internal
 */
import type * as Sync from "../../Sync.js"
import * as Text from "../../Text.js"
import { describePoint } from "./project.js"

/** @internal */
export const actions = (plan: Sync.Plan): ReadonlyArray<Sync.Action> => plan.people.flatMap((p) => p.actions)

/** @internal */
export const counts = (plan: Sync.Plan) => {
  const all = actions(plan)
  return {
    create: all.filter((a) => a._tag === "Create").length,
    update: all.filter((a) => a._tag === "Update").length,
    delete: all.filter((a) => a._tag === "Delete").length,
    adopt: plan.people.reduce((n, p) => n + p.adopt.length, 0),
    forget: plan.people.reduce((n, p) => n + p.forget.length, 0),
    skip: plan.people.reduce((n, p) => n + p.skipped.length, 0)
  }
}

/** @internal */
export const formatPlan = (plan: Sync.Plan): string => {
  if (plan.unchanged) return `Plan (${plan.mode}): directory unchanged (version ${plan.version ?? "-"}): nothing to do`
  const c = counts(plan)
  const held = plan.people.filter((p) => p.held !== undefined).length
  const failed = plan.people.filter((p) => p.failure !== undefined).length
  const lines = [
    `Plan (${plan.mode}${plan.version === undefined ? "" : `, directory version ${plan.version}`}): ${plan.peopleRead} people read, ` +
    `${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.adopt} to adopt, ${c.skip} skipped` +
    `${held === 0 ? "" : `, ${held} held back`}${failed === 0 ? "" : `, ${failed} not plannable`}`
  ]
  for (const check of plan.reads) {
    if (!check.trusted) lines.push(`! the ${check.side} read proves nothing, so nothing is deleted on its strength: ${check.issues.join("; ")}`)
  }
  if (plan.guard.tripped) {
    lines.push(
      `! the delete guard refuses this plan: ${plan.guard.deletes} deletions (limit ${plan.guard.limit} of ${plan.guard.owned} owned), ` +
        `${plan.guard.unmatched} people unmatched (limit ${plan.guard.unmatchedLimit} of ${plan.guard.linked} linked); ` +
        "allow it with allowMassDelete / --allow-mass-delete, or raise maxDeletes / --max-deletes"
    )
  }
  for (const p of plan.people) {
    const who = `${p.sourceId}${p.name === undefined ? "" : ` (${p.name})`}`
    const where = p.removed
      ? "removed from the directory"
      : p.personId === undefined
      ? "unmatched"
      : `→ ${p.personId} (by ${p.matchedBy})`
    lines.push(`${who} ${where}${p.link ? " [link]" : ""}${p.unlink ? " [unlink]" : ""}`)
    if (p.evidence !== undefined) lines.push(`  = matched on ${p.evidence.join(", ")}`)
    for (const s of p.suggestions ?? []) {
      lines.push(
        `  ? possibly → ${s.personId} (probability ${s.probability.toFixed(2)}; ${s.reasons.join(", ")}; ${s.why}): ` +
          `not acted on; confirm with: unified-people link ${p.sourceId} ${s.personId}`
      )
    }
    if (p.failure !== undefined) lines.push(`  ! failed: ${p.failure.message}`)
    if (p.held !== undefined) lines.push(`  ! held: ${p.held}`)
    for (const a of p.actions) {
      switch (a._tag) {
        case "Create":
          lines.push(`  + create ${describePoint(a.point)} on ${a.personId}: ${a.reason}`)
          break
        case "Update":
          lines.push(`  ~ update ${a.contactId} ${describePoint(a.previous)} → ${describePoint(a.point)}: ${a.reason}`)
          break
        case "Delete":
          lines.push(`  - delete ${a.contactId} ${describePoint(a.point)} on ${a.personId}: ${a.reason}`)
          break
      }
    }
    for (const a of p.adopt) lines.push(`  = adopt ${a.contactId} ${describePoint(a.point)}: ${a.reason}`)
    for (const f of p.forget) lines.push(`  · forget ${f.contactId} on ${f.personId}: ${f.reason}`)
    for (const s of p.skipped) lines.push(`  · skip ${s.point === undefined ? "" : `${describePoint(s.point)}: `}${s.reason}`)
  }
  // remote values and names reach a terminal: control, bidi and invisible characters are shown escaped
  return lines.map(Text.printable).join("\n")
}

/** @internal */
export const formatSummary = (s: Sync.Summary): string =>
  Text.printable(`${s.dryRun ? "Dry run" : "Sync"} (${s.mode}${s.unchanged ? ", directory unchanged" : ""}, ${s.status}): ${s.peopleRead} read, ` +
  `${s.matched} matched, ${s.unmatched} unmatched, ${s.removed} removed; ${s.created} created, ${s.updated} updated, ` +
  `${s.deleted} deleted, ${s.adopted} adopted, ${s.skipped} skipped, ${s.held} held, ${s.failures.length} failed` +
  `${s.notApplied === 0 ? "" : `, ${s.notApplied} not applied`}; calls: ` +
  `source ${s.calls.source}, target ${s.calls.target}, contacts ${s.calls.contacts}; ${s.retries} retries, ` +
  `${s.rateLimitWaits} rate-limit waits; ${s.durationMillis} ms`)

/** @internal */
export const formatFailure = (f: Sync.Failure): string =>
  Text.printable(
    f.action === undefined
    ? `! ${f.sourceId}${f.personId === undefined ? "" : ` → ${f.personId}`}: not planned: ${f.error.message}`
      : `! ${f.action._tag.toLowerCase()} ${describePoint(f.action.point)} on ${f.action.personId} (${f.sourceId}): ${f.error.message}`
  )
