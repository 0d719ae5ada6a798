/**
 * A loopback HTTP server for an `@effect/platform` app, with injectable faults
 * (status bursts, latency, connection resets before or after the app handled
 * the request, malformed JSON) and a log of every
 * request it received. Both emulators are built on it; a test can serve any
 * app with it (a webhook receiver, a stub).
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"

/**
 * A fault the server can inject in place of (or before) the real answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault =
  | {
    /** Answer with this status (and body / headers) instead of the real answer. */
    readonly _tag: "Status"
    readonly status: number
    readonly body?: unknown
    readonly headers?: Readonly<Record<string, string>>
  }
  | {
    /** Wait before answering for real. */
    readonly _tag: "Latency"
    readonly millis: number
  }
  | {
    /** Destroy the connection without answering. */
    readonly _tag: "Reset"
  }
  | {
    /** Let the app handle the request (a write happens), then destroy the connection without answering. */
    readonly _tag: "ResetAfter"
  }
  | {
    /** Answer 200 with a body that is not valid JSON. */
    readonly _tag: "Malformed"
    readonly body?: string
  }

/**
 * A rule: which requests get a fault, and how many times.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  readonly fault: Fault
  /** How many matching requests get the fault (default 1). */
  readonly times?: number
  /** Matching requests to let through before the first fault (default 0). */
  readonly skip?: number
  /** HTTP method to match (any when omitted). */
  readonly method?: string
  /** A path prefix, or a test on the path (every path when omitted). */
  readonly path?: string | RegExp
}

interface ActiveRule {
  readonly rule: Rule
  remaining: number
  skip: number
}

/**
 * One request the server received: when it arrived (Effect `Clock` milliseconds)
 * and which fault, if any, it got.
 *
 * @since 0.1.0
 * @category models
 */
export interface Arrival {
  readonly method: string
  readonly path: string
  readonly atMillis: number
  readonly fault?: Fault["_tag"]
}

/**
 * Fault control of a running server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Faults {
  /** Adds a rule; rules apply in the order added. */
  readonly inject: (rule: Rule) => Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  /** Faults still to be injected. */
  readonly pending: Effect.Effect<number>
  /** Faults injected so far. */
  readonly injected: Effect.Effect<number>
  /** Every request received so far, in arrival order, faulted or not. */
  readonly requests: Effect.Effect<ReadonlyArray<Arrival>>
  /** Wraps an app so that it obeys the rules. */
  readonly middleware: <E, R>(app: HttpApp.Default<E, R>) => HttpApp.Default<E, R>
}

const matches = (rule: Rule, method: string, path: string) =>
  (rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase()) &&
  (rule.path === undefined || (typeof rule.path === "string" ? path.startsWith(rule.path) : rule.path.test(path)))

/**
 * Creates a fault controller.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFaults: Effect.Effect<Faults> = Effect.sync(() => {
  let rules: Array<ActiveRule> = []
  let injected = 0
  const arrivals: Array<Arrival> = []

  const take = (method: string, path: string): Fault | undefined => {
    for (const active of rules) {
      if (active.remaining <= 0 || !matches(active.rule, method, path)) continue
      if (active.skip > 0) {
        active.skip--
        continue
      }
      active.remaining--
      injected++
      return active.rule.fault
    }
    return undefined
  }

  const middleware = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const path = new URL(request.url, "http://localhost").pathname
      rules = rules.filter((r) => r.remaining > 0)
      const fault = take(request.method, path)
      const atMillis = yield* Clock.currentTimeMillis
      arrivals.push(fault === undefined ? { method: request.method, path, atMillis } : { method: request.method, path, atMillis, fault: fault._tag })
      if (fault === undefined) return yield* app
      switch (fault._tag) {
        case "Latency":
          yield* Effect.sleep(Duration.millis(fault.millis))
          return yield* app
        case "Status":
          return fault.body === undefined
            ? HttpServerResponse.empty({ status: fault.status, headers: fault.headers ?? {} })
            : HttpServerResponse.unsafeJson(fault.body, { status: fault.status, headers: fault.headers ?? {} })
        case "Malformed":
          return HttpServerResponse.text(fault.body ?? "{\"records\": [{\"id\": ", {
            status: 200,
            contentType: "application/json"
          })
        case "Reset": {
          const incoming = NodeHttpServerRequest.toIncomingMessage(request)
          incoming.socket.destroy()
          return yield* Effect.never
        }
        case "ResetAfter": {
          yield* Effect.exit(app)
          const incoming = NodeHttpServerRequest.toIncomingMessage(request)
          incoming.socket.destroy()
          return yield* Effect.never
        }
      }
    })

  return {
    inject: (rule) =>
      Effect.sync(() => {
        rules.push({ rule, remaining: rule.times ?? 1, skip: rule.skip ?? 0 })
      }),
    clear: Effect.sync(() => {
      rules = []
    }),
    pending: Effect.sync(() => rules.reduce((n, r) => n + Math.max(0, r.remaining), 0)),
    injected: Effect.sync(() => injected),
    requests: Effect.sync(() => [...arrivals]),
    middleware
  }
})

/**
 * A running loopback server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Server {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string
  readonly port: number
  readonly faults: Faults
}

/**
 * Serves an app on `127.0.0.1` on a free port (or `options.port`) for the
 * lifetime of the scope, behind a fault controller.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = <E, R>(
  app: HttpApp.Default<E, R>,
  options: { readonly port?: number; readonly faults?: Faults } = {}
): Effect.Effect<Server, HttpServerError.ServeError, Scope.Scope | Exclude<R, HttpServerRequest.HttpServerRequest>> =>
  Effect.gen(function*() {
    const faults = options.faults ?? (yield* makeFaults)
    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port ?? 0, host: "127.0.0.1" })
    yield* server.serve(faults.middleware(app))
    const address = server.address
    const port = address._tag === "TcpAddress" ? address.port : 0
    return { url: `http://127.0.0.1:${port}`, port, faults }
  })
