/**
 * What every emulator route shares: the extension store, issued tokens, the
 * per-group rate limits with RingCentral's penalty semantics, request counters,
 * and helpers to answer with RingCentral error bodies. Route modules (OAuth,
 * directory, custom fields, subscriptions, extensions) receive it and wrap each
 * handler in {@link Context.guard}.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Store from "./Store.js"

/**
 * RingCentral's throttling groups (`x-throttling-group` in the specification):
 * every route counts against one.
 *
 * @since 0.1.0
 * @category models
 */
export type Group = "Light" | "Medium" | "Heavy" | "Auth"

/**
 * Every throttling group.
 *
 * @since 0.1.0
 * @category constants
 */
export const groups: ReadonlyArray<Group> = ["Light", "Medium", "Heavy", "Auth"]

/**
 * The limits of one throttling group on the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface GroupLimit {
  readonly limit: number
  readonly windowMillis: number
  /** The penalty after exceeding the limit; every request during it restarts it. */
  readonly penaltyMillis: number
}

/**
 * The real limits: Light 50, Medium 40, Heavy 10, Auth 5 per 60 s, 60 s penalty.
 *
 * @since 0.1.0
 * @category constants
 */
export const realLimits: Readonly<Record<Group, GroupLimit>> = {
  Light: { limit: 50, windowMillis: 60_000, penaltyMillis: 60_000 },
  Medium: { limit: 40, windowMillis: 60_000, penaltyMillis: 60_000 },
  Heavy: { limit: 10, windowMillis: 60_000, penaltyMillis: 60_000 },
  Auth: { limit: 5, windowMillis: 60_000, penaltyMillis: 60_000 }
}

/**
 * One request the emulator received.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestRecord {
  readonly method: string
  readonly path: string
  readonly group: Group
  readonly at: number
  readonly status: number
  /** Sent while the group's penalty was running. */
  readonly duringPenalty: boolean
}

/**
 * Counters of the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly requests: number
  readonly byGroup: Readonly<Record<string, number>>
  readonly byPath: Readonly<Record<string, number>>
  /** 429 answers. */
  readonly rateLimited: number
  /** Requests received while a penalty was running (each restarted it). */
  readonly duringPenalty: number
  readonly unauthorized: number
  readonly tokensIssued: number
  readonly tokenRequests: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Token {
  readonly expiresAt: number
  readonly ownerId: string
}

/**
 * Resolved emulator settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly clientId: string
  readonly clientSecret: string
  readonly jwt: string
  readonly tokenLifetimeSeconds: number
  readonly refreshTokenLifetimeSeconds: number
  readonly limits: Readonly<Record<Group, GroupLimit>>
  readonly rateLimits: boolean
  /** The largest `perPage` accepted (2000); `max` means this many. */
  readonly maxPerPage: number
  /** Leave `totalPages` / `totalElements` out of directory pages. */
  readonly omitTotals: boolean
}

interface GroupState {
  hits: Array<number>
  penaltyUntil: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly store: Store.Store
  readonly settings: Settings
  /** The emulator's URL once it listens (used in `uri` fields). */
  readonly baseUrl: () => string
  readonly tokens: Map<string, Token>
  readonly refreshTokens: Map<string, Token>
  /** Authenticates (bearer token), applies the group's rate limit, counts, then runs `handler`. */
  readonly guard: <E, R>(
    group: Group,
    handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
    options?: { readonly authenticate?: boolean }
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest>
  readonly stats: () => Stats
  readonly log: () => ReadonlyArray<RequestRecord>
  /** Counts `n` requests against a group as if another client of the same user sent them. */
  readonly consume: (group: Group, n: number) => Effect.Effect<void>
  /** Revokes every access token (the next request with one gets 401 `TokenInvalid`). */
  readonly expireTokens: () => void
  readonly counters: { tokensIssued: number; tokenRequests: number }
}

/**
 * A RingCentral error body response (legacy envelope with `errors[]`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const error = (
  status: number,
  errorCode: string,
  message: string,
  options: { readonly parameterName?: string; readonly errorsOnly?: boolean; readonly headers?: Record<string, string> } = {}
): HttpServerResponse.HttpServerResponse => {
  const item = { errorCode, message, ...(options.parameterName === undefined ? {} : { parameterName: options.parameterName }) }
  const body = options.errorsOnly === true
    ? { errors: [item] }
    : { errorCode, message, errors: [item], ...(options.parameterName === undefined ? {} : { parameterName: options.parameterName }) }
  return HttpServerResponse.unsafeJson(body, { status, ...(options.headers === undefined ? {} : { headers: options.headers }) })
}

/**
 * Builds a context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (store: Store.Store, settings: Settings, baseUrl: () => string): Context => {
  const tokens = new Map<string, Token>()
  const refreshTokens = new Map<string, Token>()
  const groups = new Map<Group, GroupState>()
  const records: Array<RequestRecord> = []
  const counters = { tokensIssued: 0, tokenRequests: 0 }
  const byGroup: Record<string, number> = {}
  const byPath: Record<string, number> = {}
  let rateLimited = 0, duringPenalty = 0, unauthorized = 0

  const stateOf = (group: Group): GroupState => {
    let state = groups.get(group)
    if (state === undefined) {
      state = { hits: [], penaltyUntil: 0 }
      groups.set(group, state)
    }
    return state
  }

  const seconds = (millis: number) => {
    const s = millis / 1000
    return Number.isInteger(s) ? String(s) : s.toFixed(3).replace(/0+$/, "")
  }

  const guard: Context["guard"] = (group, handler, options) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const now = yield* Clock.currentTimeMillis
      const path = new URL(request.url, "http://localhost").pathname
      byGroup[group] = (byGroup[group] ?? 0) + 1
      byPath[path] = (byPath[path] ?? 0) + 1
      const record = (status: number, penalty: boolean) =>
        records.push({ method: request.method, path, group, at: now, status, duringPenalty: penalty })
      if (options?.authenticate !== false) {
        const header = request.headers["authorization"] ?? ""
        const token = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim()
        const info = token === undefined ? undefined : tokens.get(token)
        if (info === undefined || info.expiresAt <= now) {
          unauthorized++
          record(401, false)
          return token === undefined
            ? error(401, "AGW-401", "Authorization header is not specified")
            : HttpServerResponse.unsafeJson({
              errorCode: "TokenInvalid",
              message: info === undefined ? "Token not found" : "Token expired",
              errors: [{ errorCode: "OAU-213", message: info === undefined ? "Token not found" : "Token expired" }]
            }, { status: 401 })
        }
      }
      const limit = settings.limits[group]
      const state = stateOf(group)
      let headers: Record<string, string> = {}
      if (settings.rateLimits) {
        if (now < state.penaltyUntil) {
          // a request during the penalty restarts it
          duringPenalty++
          rateLimited++
          state.penaltyUntil = now + limit.penaltyMillis
          record(429, true)
          return rateLimitedResponse(group, limit)
        }
        state.hits = state.hits.filter((t) => t > now - limit.windowMillis)
        if (state.hits.length >= limit.limit) {
          rateLimited++
          state.penaltyUntil = now + limit.penaltyMillis
          record(429, false)
          return rateLimitedResponse(group, limit)
        }
        state.hits.push(now)
        headers = {
          "X-Rate-Limit-Group": group,
          "X-Rate-Limit-Limit": String(limit.limit),
          "X-Rate-Limit-Remaining": String(Math.max(0, limit.limit - state.hits.length)),
          "X-Rate-Limit-Window": seconds(limit.windowMillis)
        }
      }
      const response = yield* handler
      record(response.status, false)
      return HttpServerResponse.setHeaders(response, headers)
    })

  const rateLimitedResponse = (group: Group, limit: GroupLimit) =>
    error(429, "CMN-301", "Request rate exceeded", {
      headers: {
        "Retry-After": seconds(limit.penaltyMillis),
        "X-Rate-Limit-Group": group,
        "X-Rate-Limit-Limit": String(limit.limit),
        "X-Rate-Limit-Remaining": "0",
        "X-Rate-Limit-Window": seconds(limit.windowMillis)
      }
    })

  return {
    store,
    settings,
    baseUrl,
    tokens,
    refreshTokens,
    guard,
    counters,
    stats: () => ({
      requests: records.length,
      byGroup: { ...byGroup },
      byPath: { ...byPath },
      rateLimited,
      duringPenalty,
      unauthorized,
      tokensIssued: counters.tokensIssued,
      tokenRequests: counters.tokenRequests
    }),
    log: () => records,
    consume: (group, n) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const state = stateOf(group)
        for (let i = 0; i < n; i++) state.hits.push(now)
      }),
    expireTokens: () => tokens.clear()
  }
}
