/**
 * The People-Contacts emulator's rate limits, per bearer token: the hourly
 * limit (default 3600 per hour) and the burst limit (default 20 per 2 s), both
 * windows scalable for tests. Every answer carries `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining` and `X-RateLimit-Reset` (of the hourly window); a
 * refused request also gets `Retry-After` (whole seconds, or milliseconds as a
 * decimal when the windows are scaled) and is not counted.
 *
 * @since 0.1.0
 */

/**
 * A rate-limit window of the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly limit: number
  readonly windowMillis: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The hourly limit per token (default 3600 per hour). */
  readonly hourly?: Window
  /** The burst limit per token (default 20 per 2 s). */
  readonly burst?: Window
  /** Scales both windows (0.01 turns 2 s into 20 ms). */
  readonly rateLimitScale?: number
}

/**
 * The verdict on one request: let through or refused, and the headers to send.
 *
 * @since 0.1.0
 * @category models
 */
export type Verdict =
  | { readonly ok: true; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly headers: Readonly<Record<string, string>> }

/**
 * Counts a request of `token` at `now` (milliseconds) against both windows.
 *
 * @since 0.1.0
 * @category models
 */
export type RateLimits = (token: string, now: number) => Verdict

/**
 * Builds the limits of an emulator.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): RateLimits => {
  const scale = options.rateLimitScale ?? 1
  const hourly = { ...(options.hourly ?? { limit: 3600, windowMillis: 3_600_000 }) }
  const burst = { ...(options.burst ?? { limit: 20, windowMillis: 2_000 }) }
  const hourlyMillis = hourly.windowMillis * scale
  const burstMillis = burst.windowMillis * scale
  const sent = new Map<string, Array<number>>()

  return (token, now) => {
    const times = (sent.get(token) ?? []).filter((t) => t > now - hourlyMillis)
    sent.set(token, times)
    const inBurst = times.filter((t) => t > now - burstMillis)
    const overHour = times.length >= hourly.limit
    const overBurst = inBurst.length >= burst.limit
    const headersFor = (list: ReadonlyArray<number>) => ({
      "X-RateLimit-Limit": String(hourly.limit),
      "X-RateLimit-Remaining": String(Math.max(0, hourly.limit - list.length)),
      "X-RateLimit-Reset": String(Math.ceil(((list[0] ?? now) + hourlyMillis) / 1000))
    })
    if (overHour || overBurst) {
      const waitHour = overHour ? times[times.length - hourly.limit]! + hourlyMillis - now : 0
      const waitBurst = overBurst ? inBurst[inBurst.length - burst.limit]! + burstMillis - now : 0
      const wait = Math.max(1, waitHour, waitBurst)
      const retryAfter = scale === 1 ? String(Math.max(1, Math.ceil(wait / 1000))) : (wait / 1000).toFixed(3)
      return { ok: false as const, headers: { ...headersFor(times), "Retry-After": retryAfter } }
    }
    times.push(now)
    return { ok: true as const, headers: headersFor(times) }
  }
}
