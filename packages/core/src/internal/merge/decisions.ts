/**
 * Decisions in columns: a resolution of a million records scores more than a
 * million pairs, and a `Decision` object with its reasons and contributions
 * for each would outweigh the records themselves. Each decision keeps its two
 * ids (as references), its weight, its comparison levels and the holders of
 * the agreeing values (its contributions follow from the model), and
 * references to the values the two people share (its reasons); the object is
 * built when asked for.
 *
 * @internal
 */
import type { Contribution, Decision } from "../../Merge.js"
import { Float64Column, Int32Column, Uint8Column } from "./columns.js"
import * as C from "./comparisons.js"
import { type Features, phoneBase, referenceReason } from "./features.js"
import * as Model from "./model.js"
import { compareStrings, countingOrder } from "./order.js"
import type { IdRef } from "./source.js"

/** Kinds of shared value. */
const EMAIL = 0
const LOCAL = 1
const PHONE = 2
const PHONE_BASE = 3
const EMPLOYEE = 4
/** A reference key (the code is its index in the table's `refs`). */
const REFERENCE = 5

const MATCHED = 1
const IS_REFERENCE = 2
const NAMES_ONLY = 4


const localLength = (email: string): number => email.lastIndexOf("@")

/** Whether two addresses have the same local part (of three characters or more). */
const sameLocal = (a: string, b: string): boolean => {
  const la = localLength(a)
  if (la < 3 || la !== localLength(b)) return false
  for (let x = 0; x < la; x++) if (a.charCodeAt(x) !== b.charCodeAt(x)) return false
  return true
}

/** @internal */
export const NAMES_ONLY_REASON = "names only: not merged without other evidence"

/**
 * The decisions of one resolution.
 *
 * @internal
 */
export class DecisionTable {
  private readonly a = new Int32Column()
  private readonly b = new Int32Column()
  private readonly weight = new Float64Column()
  private readonly flags = new Uint8Column()
  private readonly round = new Int32Column()
  private readonly pattern = new Int32Column()
  /** Holders of the agreeing name, e-mail address, phone number and employee number (4 per decision). */
  private readonly holders = new Int32Column()
  /** Where the reasons of each decision start: the table and code of each shared value. */
  private readonly reasonStart = new Int32Column()
  private readonly refTable = new Uint8Column()
  private readonly refCode = new Int32Column()
  private readonly conflicts = new Map<number, string>()
  /** The feature tables reasons point into, by index. */
  readonly tables: Array<Features> = []
  /** People per round (for term frequencies), from round 1. */
  readonly peopleOfRound: Array<number> = []
  /** Order of the decisions once sorted. */
  private order: Int32Array | undefined

  constructor() {
    this.reasonStart.push(0)
  }

  get length(): number {
    return this.a.length
  }

  /**
   * Adds a decision; its shared values are added next with {@link share} (or
   * {@link shareReference}).
   */
  push(a: IdRef, b: IdRef, weight: number, cmp: C.Comparison, round: number, reference: boolean, namesOnly: boolean): number {
    const k = this.a.length
    this.a.push(a)
    this.b.push(b)
    this.weight.push(weight)
    this.flags.push((reference ? IS_REFERENCE | MATCHED : 0) | (namesOnly ? NAMES_ONLY : 0))
    this.round.push(round)
    this.pattern.push(C.encode(cmp.levels))
    const h = cmp.holders
    this.holders.push(h[C.NAME]!)
    this.holders.push(h[C.EMAIL]! + h[C.EMAIL_NAMED]!)
    this.holders.push(h[C.PHONE]!)
    this.holders.push(h[C.EMPLOYEE]!)
    this.reasonStart.push(this.refCode.length)
    return k
  }

  /** Records the identifying values person `i` of table `ta` shares with person `j` of table `tb` as reasons of the last decision. */
  share(ta: number, i: number, tb: number, j: number): void {
    const fa = this.tables[ta]!
    const fb = this.tables[tb]!
    const add = (kind: number, code: number) => {
      this.refTable.push(ta)
      this.refCode.push(code * 8 + kind)
    }
    // values in different runs differ: the strings are read only where they may agree
    for (let a = fa.emailStart[i]!; a < fa.emailStart[i + 1]!; a++) {
      if (C.emailHolders(fa, a) < 0) continue
      for (let b = fb.emailStart[j]!; b < fb.emailStart[j + 1]!; b++) {
        if (C.emailHolders(fb, b) < 0) continue
        const va = fa.emailValue[a]!
        const vb = fb.emailValue[b]!
        const la = fa.emailLocal[a]!
        const lb = fb.emailLocal[b]!
        const sameValueMaybe = va < 0 || vb < 0 || va === vb
        const sameLocalMaybe = la < 0 || lb < 0 || la === lb
        if (!sameValueMaybe && !sameLocalMaybe) continue
        const ea = fa.email(a)
        const eb = fb.email(b)
        if (sameValueMaybe && ea === eb) add(EMAIL, a)
        else if (sameLocalMaybe && sameLocal(ea, eb)) add(LOCAL, a)
      }
    }
    for (let a = fa.phoneStart[i]!; a < fa.phoneStart[i + 1]!; a++) {
      if (C.phoneHolders(fa, a) < 0) continue
      for (let b = fb.phoneStart[j]!; b < fb.phoneStart[j + 1]!; b++) {
        if (C.phoneHolders(fb, b) < 0) continue
        const ra = fa.phoneBase[a]!
        const rb = fb.phoneBase[b]!
        if (ra >= 0 && rb >= 0 && ra !== rb) continue
        const pa = fa.phone(a)
        const pb = fb.phone(b)
        if (pa === pb) add(PHONE, a)
        else if (phoneBase(pa) === phoneBase(pb)) add(PHONE_BASE, a)
      }
    }
    if (fa.employee[i]! >= 0 && fa.employee[i] === fb.employee[j] && C.employeeHolders(fa, i) >= 0) add(EMPLOYEE, i)
    this.reasonStart.data[this.reasonStart.length - 1] = this.refCode.length
  }

  /** Records the reference key `tag` (an index into `refs` of table `t`; -1 none) as the first reason of the last decision. */
  shareReference(t: number, tag: number): void {
    this.refTable.push(t)
    this.refCode.push(tag < 0 ? -1 : tag * 8 + REFERENCE)
    this.reasonStart.data[this.reasonStart.length - 1] = this.refCode.length
  }

  setMatched(k: number): void {
    this.flags.data[k] = this.flags.data[k]! | MATCHED
  }

  addConflict(k: number, refusal: string): void {
    this.conflicts.set(k, refusal)
  }

  /** Sorts by round, then `a`, then `b` (as strings, by `rank`). */
  sort(rank: (ref: IdRef) => number): void {
    const n = this.a.length
    const a = this.a.data
    const b = this.b.data
    const round = this.round.data
    // by b's rank, then a's, then the round (the most significant); equal keys keep the order of the decisions
    this.order = countingOrder(n, [(k) => rank(b[k]!), (k) => rank(a[k]!), (k) => round[k]!])
  }

  /** Decision `k` (in sorted order). */
  get(k: number, idString: (ref: IdRef) => string, scorers: (round: number) => Model.Scorer): Decision {
    const d = this.order === undefined ? k : this.order[k]!
    const round = this.round.data[d]!
    const cmp = C.makeComparison()
    C.decode(this.pattern.data[d]!, cmp.levels)
    const h = 4 * d
    const holders = this.holders.data
    cmp.holders[C.NAME] = holders[h]!
    cmp.holders[cmp.levels[C.EMAIL] === C.nullLevel(C.EMAIL) ? C.EMAIL_NAMED : C.EMAIL] = holders[h + 1]!
    cmp.holders[C.PHONE] = holders[h + 2]!
    cmp.holders[C.EMPLOYEE] = holders[h + 3]!
    const flags = this.flags.data[d]!
    const weight = this.weight.data[d]!
    const reference = (flags & IS_REFERENCE) !== 0
    const reasons: Array<string> = []
    const shared = new Set<string>()
    for (let x = this.reasonStart.data[d]!; x < this.reasonStart.data[d + 1]!; x++) {
      const code = this.refCode.data[x]!
      const f = this.tables[this.refTable.data[x]!]!
      if (code < 0) {
        reasons.push("reference")
        continue
      }
      const kind = code & 7
      const at = (code - kind) / 8
      switch (kind) {
        case EMAIL:
          shared.add(`email:${f.email(at)}`)
          break
        case LOCAL: {
          const email = f.email(at)
          shared.add(`local:${email.slice(0, localLength(email))}`)
          break
        }
        case PHONE:
          shared.add(`phone:${f.phone(at)}`)
          break
        case PHONE_BASE:
          shared.add(`phone:${phoneBase(f.phone(at))}`)
          break
        case EMPLOYEE:
          shared.add(`employeeNumber:${f.employeeRaw(at)}`)
          break
        case REFERENCE:
          reasons.push(referenceReason(f.refs[at]!))
          break
      }
    }
    reasons.push(...Array.from(shared).sort(compareStrings))
    reasons.push(`name:${C.comparisons[C.NAME]!.levels[cmp.levels[C.NAME]!] ?? "unknown"}`)
    if ((flags & NAMES_ONLY) !== 0) reasons.push(NAMES_ONLY_REASON)
    const conflict = this.conflicts.get(d)
    if (conflict !== undefined) reasons.push(`conflict: ${conflict}`)
    const contributions: Array<Contribution> = scorers(round).contributions(cmp)
    return {
      a: idString(this.a.data[d]!),
      b: idString(this.b.data[d]!),
      score: Model.round(weight),
      probability: reference ? 1 : Model.round(Model.probability(weight)),
      matched: (flags & MATCHED) !== 0,
      reasons,
      contributions,
      round
    }
  }
}
