/**
 * The noisy company's own seeded randomness: sfc32 seeded through splitmix32,
 * and draws from a Zipf-like law (earlier items of a list are more frequent).
 *
 * @internal
 */

/** @internal */
export interface Rng {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [0, max). */
  readonly below: (max: number) => number
  readonly chance: (p: number) => boolean
  readonly pick: <A>(items: ReadonlyArray<A>) => A
}

const splitmix32 = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** @internal */
export const rng = (seed: number): Rng => {
  const init = splitmix32(seed)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  const below = (max: number) => Math.floor(next() * max)
  return { next, below, chance: (p) => next() < p, pick: (items) => items[below(items.length)]! }
}

/** A sampler of indices in [0, n), index i drawn with weight 1 / (i + offset)^exponent. @internal */
export const zipf = (n: number, exponent: number, offset: number): ((r: Rng) => number) => {
  const cdf = new Float64Array(n)
  let total = 0
  for (let i = 0; i < n; i++) {
    total += 1 / (i + offset) ** exponent
    cdf[i] = total
  }
  return (r) => {
    const x = r.next() * total
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cdf[mid]! <= x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
