/**
 * The Fellegi–Sunter model: for each comparison level, m (the probability of
 * the level among pairs of records of one person) and u (among pairs of
 * records of different people), and the prior (how many of all pairs are
 * matches). A pair's match weight is `prior + Σ log2(m / u)` in bits, with a
 * term-frequency adjustment for agreeing values (a shared rare name says more
 * than a shared common one); its probability is `1 / (1 + 2^-weight)`.
 *
 * Training, without labels:
 *
 * - **u** from random pairs of records (nearly all different people), sampled
 *   deterministically; the u of an exact agreement on an e-mail address, phone
 *   number, employee number or full name is computed from the counts of each
 *   value (`Σ h(h − 1) / N(N − 1)`).
 * - **m** by expectation–maximisation on the candidate pairs, u fixed, in one
 *   session per kind of evidence that found the pairs (shared e-mail, shared
 *   phone, shared employee number, agreeing names): a session leaves out the
 *   comparison its pairs were found by (it agrees by construction), and the m
 *   of a comparison is the average over the sessions that estimated it,
 *   weighted by their expected matches. Estimates are smoothed towards the
 *   defaults with a few pseudo-pairs, so a rare level is never extreme.
 * - **prior** by a fixed point: the expected number of matches among the
 *   candidate pairs over the number of all pairs.
 *
 * @internal
 */
import * as C from "./comparisons.js"
import type { Features } from "./features.js"

/** Σ h(h − 1) over the values of each identifying field (h: the number of holders of a value). @internal */
export interface SameValuePairs {
  readonly email: number
  readonly phone: number
  readonly employee: number
  /** Family + formal given name. */
  readonly name: number
  /** Given and family name as written (normalized). */
  readonly exactName: number
}

/** @internal */
export interface Frequencies {
  readonly name: number
  readonly email: number
  readonly phone: number
  readonly employeeNumber: number
}

/** @internal */
export interface LevelParams {
  readonly name: string
  readonly m: number
  readonly u: number
}

/** @internal */
export interface ComparisonParams {
  readonly name: string
  readonly levels: ReadonlyArray<LevelParams>
}

/** @internal */
export interface Training {
  readonly records: number
  readonly candidatePairs: number
  readonly emPairs: number
  readonly randomPairs: number
  readonly sessions: ReadonlyArray<{ readonly name: string; readonly pairs: number; readonly matches: number; readonly iterations: number }>
}

/** @internal */
export interface ModelData {
  readonly comparisons: ReadonlyArray<ComparisonParams>
  /**
   * The average chance that two records share a value of each field (name
   * key, e-mail address, phone number, employee number), from the data the
   * model was estimated on: a term-frequency adjustment compares a value's
   * frequency with it. Absent: no adjustment.
   */
  readonly frequencies: Frequencies | undefined
  /** log2 of the prior odds that two records are one person. */
  readonly prior: number
  /** Expected matching pairs per record (`λ (N − 1) / 2`). */
  readonly matchesPerRecord: number
  readonly training: Training | undefined
}

// Defaults for a company directory merged from a few systems (used for small
// inputs, and as the prior of every estimate).
const defaults: ReadonlyArray<ReadonlyArray<readonly [m: number, u: number]>> = [
  // name: exact (+12 bits), variant (+10), swapped (+8), fuzzy (+7), partial, family-only, given-only, different
  [[0.55, 0.55 / 2 ** 12], [0.22, 0.22 / 2 ** 10], [0.02, 0.02 / 2 ** 8], [0.06, 0.06 / 2 ** 7], [0.06, 0.01], [0.02, 0.02], [0.04, 0.01], [0.03, 0.959]],
  // email: exact (+16), local-part (+14), alias (+6), different
  [[0.55, 0.55 / 2 ** 16], [0.12, 0.12 / 2 ** 14], [0.08, 0.08 / 2 ** 6], [0.25, 0.9987]],
  // email given agreeing names (u among namesakes): exact (+14), local-part (+10), alias, different
  [[0.55, 0.55 / 2 ** 14], [0.12, 0.12 / 2 ** 10], [0.08, 0.1], [0.25, 0.8998]],
  // phone: exact (+13), base (+6), different
  [[0.55, 0.55 / 2 ** 13], [0.02, 0.02 / 2 ** 6], [0.43, 0.9996]],
  // employee number: exact (+17), different
  [[0.95, 0.95 / 2 ** 17], [0.05, 0.99999]],
  // department: exact, similar, different
  [[0.8, 0.15], [0.06, 0.02], [0.14, 0.83]],
  // site: exact, different
  [[0.8, 0.2], [0.2, 0.8]],
  // title: exact, different
  [[0.7, 0.05], [0.3, 0.95]],
  // system: same, other
  [[0.03, 0.35], [0.97, 0.65]]
]

/** @internal */
export const defaultModel: ModelData = {
  comparisons: C.comparisons.map((c, ci) => ({
    name: c.name,
    levels: c.levels.map((name, li) => ({ name, m: defaults[ci]![li]![0], u: defaults[ci]![li]![1] }))
  })),
  prior: -10,
  matchesPerRecord: 0,
  frequencies: undefined,
  training: undefined
}

/** A seeded PRNG (mulberry32) for sampling pairs. */
const prng = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const U_PSEUDO_HITS = 20
const M_PSEUDO_PAIRS = 20
/** Random pairs sampled for u: eight per record, between 60,000 and 200,000. */
const randomPairs = (n: number): number => Math.min(200_000, Math.max(60_000, 8 * n))
const EM_PAIRS = 200_000
const EM_ITERATIONS = 40
const OUTER_ITERATIONS = 3

/**
 * Estimates the model on the records of `f` and their candidate pairs.
 *
 * @internal
 */
export const train = (
  f: Features,
  pairs: Float64Array,
  same: SameValuePairs,
  compareClusters: (a: number, b: number, out: C.Comparison) => void
): ModelData => {
  const n = f.n
  const all = (n * (n - 1)) / 2
  const scratch = C.makeComparison()
  const levels = scratch.levels

  // u: random pairs
  const hits = C.comparisons.map((c) => new Float64Array(c.levels.length))
  const known = new Float64Array(C.COUNT)
  let sampled = 0
  const tally = () => {
    for (let c = 0; c < C.COUNT; c++) {
      const level = levels[c]!
      if (level === C.nullLevel(c)) continue
      hits[c]![level]!++
      known[c]!++
    }
    sampled++
  }
  const wanted = randomPairs(n)
  if (all <= wanted) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        C.compare(f, i, f, j, scratch)
        tally()
      }
    }
  } else {
    const random = prng(0x5eed)
    for (let s = 0; s < wanted; s++) {
      const i = Math.floor(random() * n)
      let j = Math.floor(random() * (n - 1))
      if (j >= i) j++
      C.compare(f, i, f, j, scratch)
      tally()
    }
  }
  const u: Array<Float64Array> = C.comparisons.map((c, ci) => {
    const out = new Float64Array(c.levels.length)
    for (let l = 0; l < c.levels.length; l++) {
      const u0 = defaults[ci]![l]![1]
      out[l] = (hits[ci]![l]! + U_PSEUDO_HITS) / (known[ci]! + U_PSEUDO_HITS / u0)
    }
    return out
  })
  // exact agreements on identifying values: from the counts of each value
  const exact = (ci: number, samePairs: number, everyKnown: number) => {
    if (everyKnown <= 0) return
    const value = samePairs / (n * (n - 1)) / everyKnown
    const u0 = defaults[ci]![0]![1]
    u[ci]![0] = Math.max(value, u0 / 50)
  }
  const share = (ci: number) => (known[ci]! === 0 ? 0 : known[ci]! / sampled)
  exact(C.EMAIL, same.email, share(C.EMAIL))
  exact(C.PHONE, same.phone, share(C.PHONE))
  exact(C.EMPLOYEE, same.employee, share(C.EMPLOYEE))
  // names: exact agreement, and agreement through a nickname (same family and formal given name)
  if (share(C.NAME) > 0) {
    const scale = n * (n - 1) * share(C.NAME)
    u[C.NAME]![C.N_EXACT] = Math.max(same.exactName / scale, defaults[C.NAME]![C.N_EXACT]![1] / 50)
    u[C.NAME]![C.N_VARIANT] = Math.max(Math.max(0, same.name - same.exactName) / scale, defaults[C.NAME]![C.N_VARIANT]![1] / 50)
  }
  normalize(u)

  // candidate-pair patterns, per session
  const sessionOf = [C.EMAIL, C.PHONE, C.EMPLOYEE, C.NAME] as const
  const sessionNames = ["email", "phone", "employeeNumber", "name"]
  // the comparisons each session leaves out (the e-mail session both e-mail comparisons)
  const skips: ReadonlyArray<ReadonlyArray<number>> = [[C.EMAIL, C.EMAIL_NAMED], [C.PHONE], [C.EMPLOYEE], [C.NAME]]
  // comparisons whose u a session estimates (among namesakes: the name session)
  const freeU: ReadonlyArray<number | undefined> = [undefined, undefined, undefined, C.EMAIL_NAMED]
  const histograms = sessionOf.map(() => new Map<number, number>())
  const allPatterns = new Map<number, number>()
  const step = Math.max(1, Math.ceil(pairs.length / EM_PAIRS))
  let emPairs = 0
  const masked = new Uint8Array(C.COUNT)
  // a deterministic sample of the candidate pairs (every step-th); each stands for `step` pairs
  for (let p = 0; p < pairs.length; p += step) {
    const code = pairs[p]!
    const i = Math.floor(code / n)
    const j = code - i * n
    compareClusters(i, j, scratch)
    const full = C.encode(levels)
    allPatterns.set(full, (allPatterns.get(full) ?? 0) + step)
    emPairs++
    const email = C.emailLevel(scratch)
    const found = [
      email === C.E_EXACT || email === C.E_LOCAL,
      levels[C.PHONE] === C.P_EXACT || levels[C.PHONE] === C.P_BASE,
      levels[C.EMPLOYEE] === C.K_EXACT,
      levels[C.NAME]! <= C.N_FUZZY
    ]
    for (let s = 0; s < sessionOf.length; s++) {
      if (!found[s]) continue
      masked.set(levels)
      for (const c of skips[s]!) masked[c] = C.nullLevel(c)
      const key = C.encode(masked)
      histograms[s]!.set(key, (histograms[s]!.get(key) ?? 0) + 1)
    }
  }

  // m by EM (u fixed), the prior by a fixed point, then u corrected for the
  // matches among the random pairs, a few times over
  const observed = u.map((levels) => Float64Array.from(levels))
  const allCodes = Array.from(allPatterns.keys())
  const allLevels = allCodes.map((code) => {
    const out = new Uint8Array(C.COUNT)
    C.decode(code, out)
    return out
  })
  const allCounts = Array.from(allPatterns.values())
  let m: Array<Float64Array> = []
  let lambda = 1 / Math.max(2, n)
  let sessions: Array<{ name: string; pairs: number; matches: number; iterations: number }> = []
  for (let outer = 0; outer < OUTER_ITERATIONS; outer++) {
    const mSum: Array<Float64Array> = C.comparisons.map((c) => new Float64Array(c.levels.length))
    const mWeight = new Float64Array(C.COUNT)
    sessions = []
    for (let s = 0; s < sessionOf.length; s++) {
      const result = em(histograms[s]!, u, skips[s]!, freeU[s])
      sessions.push({ name: sessionNames[s]!, pairs: result.pairs, matches: result.matches, iterations: result.iterations })
      const free = freeU[s]
      if (free !== undefined && result.known[free]! > 0) {
        const levels = u[free]!
        for (let l = 0; l < levels.length; l++) levels[l] = (result.u[l]! * result.unknown + U_PSEUDO_HITS * defaults[free]![l]![1]) / (result.unknown + U_PSEUDO_HITS)
        observed[free]!.set(u[free]!)
      }
      for (let c = 0; c < C.COUNT; c++) {
        if (skips[s]!.includes(c)) continue
        const known = result.known[c]!
        if (known <= 0) continue
        for (let l = 0; l < C.comparisons[c]!.levels.length; l++) mSum[c]![l]! += result.m[c]![l]! * known
        mWeight[c]! += known
      }
    }
    m = C.comparisons.map((c, ci) => {
      const out = new Float64Array(c.levels.length)
      for (let l = 0; l < c.levels.length; l++) out[l] = (mSum[ci]![l]! + M_PSEUDO_PAIRS * defaults[ci]![l]![0]) / (mWeight[ci]! + M_PSEUDO_PAIRS)
      return out
    })
    normalize(m)

    // prior: the expected matches among all candidate pairs over all pairs
    const weights = m.map((levels, c) => Array.from(levels, (mv, l) => Math.log2(mv / u[c]![l]!)))
    const patternWeights = allLevels.map((levels) => {
      let w = 0
      for (let c = 0; c < C.COUNT; c++) if (levels[c]! !== C.nullLevel(c)) w += weights[c]![levels[c]!]!
      return w
    })
    for (let it = 0; it < 50; it++) {
      const prior = Math.log2(lambda / (1 - lambda))
      let expected = 0
      for (let p = 0; p < patternWeights.length; p++) expected += allCounts[p]! / (1 + 2 ** -(prior + patternWeights[p]!))
      const next = Math.min(0.5, Math.max(1 / (all * 10), expected / all))
      const done = Math.abs(next - lambda) < lambda * 1e-4
      lambda = next
      if (done) break
    }

    // random pairs are mostly, not only, different people: u = (observed − λ m) / (1 − λ),
    // never below a 64th of what was observed
    for (let c = 0; c < C.COUNT; c++) {
      if (c === C.EMAIL_NAMED) continue
      for (let l = 0; l < u[c]!.length; l++) {
        const o = observed[c]![l]!
        u[c]![l] = Math.max(o / 64, (o - lambda * m[c]![l]!) / (1 - lambda))
      }
    }
    normalize(u)
  }

  return {
    comparisons: C.comparisons.map((c, ci) => ({
      name: c.name,
      levels: c.levels.map((name, l) => ({ name, m: m[ci]![l]!, u: u[ci]![l]! }))
    })),
    prior: Math.log2(lambda / (1 - lambda)),
    matchesPerRecord: (lambda * (n - 1)) / 2,
    frequencies: {
      name: same.name / (n * (n - 1)),
      email: same.email / (n * (n - 1)),
      phone: same.phone / (n * (n - 1)),
      employeeNumber: same.employee / (n * (n - 1))
    },
    training: { records: n, candidatePairs: pairs.length, emPairs, randomPairs: sampled, sessions }
  }
}

const normalize = (probabilities: ReadonlyArray<Float64Array>) => {
  for (const levels of probabilities) {
    let total = 0
    for (const p of levels) total += p
    if (total > 0) for (let l = 0; l < levels.length; l++) levels[l]! /= total
  }
}

/** Expectation–maximisation of m and the session's match share, u fixed. */
const em = (histogram: ReadonlyMap<number, number>, fixedU: ReadonlyArray<Float64Array>, skip: ReadonlyArray<number>, free: number | undefined) => {
  const u = fixedU.map((levels) => Float64Array.from(levels))
  const patterns = Array.from(histogram)
  const levels = patterns.map(([code]) => {
    const out = new Uint8Array(C.COUNT)
    C.decode(code, out)
    return out
  })
  const m: Array<Float64Array> = C.comparisons.map((c, ci) => Float64Array.from(c.levels, (_, l) => defaults[ci]![l]![0]))
  let lambda = 0.5
  let total = 0
  for (const [, count] of patterns) total += count
  const known = new Float64Array(C.COUNT)
  let iterations = 0
  let matches = 0
  let unknown = 0
  const uCounts = new Float64Array(free === undefined ? 0 : C.comparisons[free]!.levels.length)
  if (total === 0) return { m, known, u: free === undefined ? new Float64Array(0) : u[free]!, unknown, pairs: 0, matches: 0, iterations }
  const counts = C.comparisons.map((c) => new Float64Array(c.levels.length))
  for (; iterations < EM_ITERATIONS; iterations++) {
    for (const c of counts) c.fill(0)
    known.fill(0)
    uCounts.fill(0)
    unknown = 0
    matches = 0
    for (let p = 0; p < patterns.length; p++) {
      const count = patterns[p]![1]
      const lv = levels[p]!
      let lm = Math.log(lambda)
      let lu = Math.log(1 - lambda)
      for (let c = 0; c < C.COUNT; c++) {
        if (skip.includes(c) || lv[c] === C.nullLevel(c)) continue
        lm += Math.log(m[c]![lv[c]!]!)
        lu += Math.log(u[c]![lv[c]!]!)
      }
      const posterior = 1 / (1 + Math.exp(lu - lm))
      const expected = posterior * count
      matches += expected
      for (let c = 0; c < C.COUNT; c++) {
        if (skip.includes(c) || lv[c] === C.nullLevel(c)) continue
        counts[c]![lv[c]!]! += expected
        known[c]! += expected
      }
      if (free !== undefined && lv[free] !== C.nullLevel(free)) {
        uCounts[lv[free]!]! += count - expected
        unknown += count - expected
      }
    }
    let change = Math.abs(matches / total - lambda)
    lambda = Math.min(1 - 1e-6, Math.max(1e-6, matches / total))
    if (free !== undefined && unknown > 0) {
      for (let l = 0; l < uCounts.length; l++) {
        const next = (uCounts[l]! + 1e-3 * defaults[free]![l]![1]) / (unknown + 1e-3)
        change = Math.max(change, Math.abs(next - u[free]![l]!))
        u[free]![l] = next
      }
    }
    for (let c = 0; c < C.COUNT; c++) {
      if (skip.includes(c) || known[c]! <= 0) continue
      for (let l = 0; l < m[c]!.length; l++) {
        const next = (counts[c]![l]! + 1e-3 * defaults[c]![l]![0]) / (known[c]! + 1e-3)
        change = Math.max(change, Math.abs(next - m[c]![l]!))
        m[c]![l] = next
      }
    }
    if (change < 1e-5) {
      iterations++
      break
    }
  }
  return { m, known, u: free === undefined ? new Float64Array(0) : u[free]!, unknown, pairs: total, matches, iterations }
}

// -----------------------------------------------------------------------------
// scoring
// -----------------------------------------------------------------------------

/** A contribution of one comparison to a pair's weight. @internal */
export interface Contribution {
  readonly comparison: string
  readonly level: string
  /** log2(m / u), plus the term-frequency adjustment, in bits. */
  readonly weight: number
  /** The term-frequency part of `weight`, when the agreeing value is rarer or more common than average. */
  readonly frequency?: number
}

/** A model ready to score pairs of the records of one input. @internal */
export interface Scorer {
  readonly prior: number
  /** The weight of one level, with the term-frequency adjustment for `holders` holders of the agreeing value. */
  readonly levelWeight: (c: number, level: number, holders: number) => number
  /** log2(m / u) per comparison and level. */
  readonly weights: ReadonlyArray<Float64Array>
  /** The weight of a compared pair (prior included). */
  readonly weight: (cmp: C.Comparison) => number
  readonly contributions: (cmp: C.Comparison) => Array<Contribution>
  /** Whether anything besides the names speaks for the pair (names alone never merge). */
  readonly corroborated: (cmp: C.Comparison) => boolean
}

const TF_MIN = -8
const TF_MAX = 5

/** @internal */
export const scorer = (model: ModelData, n: number): Scorer => {
  const prior = model.prior
  const weights = model.comparisons.map((c) => Float64Array.from(c.levels, (l) => Math.log2(l.m / l.u)))
  const fr = model.frequencies
  const averageOf = (c: number): number =>
    fr === undefined
      ? 0
      : c === C.NAME
      ? fr.name
      : c === C.EMAIL || c === C.EMAIL_NAMED
      ? fr.email
      : c === C.PHONE
      ? fr.phone
      : c === C.EMPLOYEE
      ? fr.employeeNumber
      : 0
  const frequency = (c: number, holders: number): number => {
    if (holders <= 1) return 0
    const avg = averageOf(c)
    if (avg <= 0) return 0
    const tf = (holders - 1) / Math.max(1, n - 1)
    return Math.min(TF_MAX, Math.max(TF_MIN, Math.log2(avg / tf)))
  }
  const weight = (cmp: C.Comparison): number => {
    let w = prior
    for (let c = 0; c < C.COUNT; c++) {
      const level = cmp.levels[c]!
      if (level === C.nullLevel(c)) continue
      w += weights[c]![level]! + frequency(c, cmp.holders[c]!)
    }
    return w
  }
  // the contribution of a level without a term-frequency adjustment, shared by every pair
  const plain = weights.map((levels, c) =>
    Array.from(levels, (w, level): Contribution => ({ comparison: C.comparisons[c]!.name, level: C.comparisons[c]!.levels[level]!, weight: round(w) }))
  )
  const contributions = (cmp: C.Comparison): Array<Contribution> => {
    const out: Array<Contribution> = []
    for (let c = 0; c < C.COUNT; c++) {
      const level = cmp.levels[c]!
      if (level === C.nullLevel(c)) continue
      const tf = frequency(c, cmp.holders[c]!)
      if (tf === 0) {
        out.push(plain[c]![level]!)
        continue
      }
      out.push({
        comparison: C.comparisons[c]!.name,
        level: C.comparisons[c]!.levels[level]!,
        weight: round(weights[c]![level]! + tf),
        frequency: round(tf)
      })
    }
    return out
  }
  const corroborated = (cmp: C.Comparison): boolean => {
    for (let c = 0; c < C.COUNT; c++) {
      if (c === C.NAME) continue
      const level = cmp.levels[c]!
      if (level === C.nullLevel(c)) continue
      if (weights[c]![level]! + frequency(c, cmp.holders[c]!) >= 1) return true
    }
    return false
  }
  const levelWeight = (c: number, level: number, holders: number): number => weights[c]![level]! + frequency(c, holders)
  return { prior, levelWeight, weights, weight, contributions, corroborated }
}

/** Rounds a weight for reporting (6 decimals). @internal */
export const round = (x: number): number => Math.round(x * 1e6) / 1e6

/** The probability of a match weight. @internal */
export const probability = (weight: number): number => 1 / (1 + 2 ** -weight)

/** The match weight of a probability. @internal */
export const weightOf = (probability: number): number => Math.log2(probability / (1 - probability))
