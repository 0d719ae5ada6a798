/**
 * A fault-injecting, answer-rewriting HTTP proxy on loopback, for testing
 * adapters against servers that are not as polite as their emulators. It sits
 * in front of a target (an emulator), forwards every request, and applies the
 * rules that match: answer without asking the target (an injected status, an
 * empty `200`, an alternate error shape), rewrite the target's answer (empty
 * or cut a page, lie in totals, add or drop next-page links, `null` in every
 * optional field, numbers as numeric strings, odd header casing), deliver the
 * body badly (cut mid-way, stalled, a reset), and run an operation between the
 * target's answer and its delivery (remove a user after page 1 was read, so
 * page 2 shifts).
 *
 * ```ts
 * const proxy = yield* HostileProxy.make({ target: emulator.url })
 * yield* proxy.add({
 *   path: /directory\/entries$/,
 *   when: (request) => request.query.get("page") === "2",
 *   rewrite: HostileProxy.json(HostileProxy.truncateArray("records", 10))
 * })
 * // point the client at proxy.url
 * ```
 *
 * Absolute URLs of the target in answers (bodies and headers) are rewritten to
 * the proxy's own origin, and requests keep their `Host`, so links the target
 * builds lead back through the proxy.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Net from "node:net"

/**
 * A request as the proxy received it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly method: string
  /** The path without the query. */
  readonly path: string
  /** The query string with its `?`, or `""`. */
  readonly search: string
  readonly query: URLSearchParams
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * An answer about to be delivered. Header names keep the spelling they will be
 * sent with; `Content-Length` is computed on delivery unless a rule sets one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: string
}

/**
 * A change to an answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Rewrite = (answer: Answer, request: Request) => Answer

/**
 * How the body is delivered.
 *
 * @since 0.1.0
 * @category models
 */
export type Delivery =
  /** The whole answer (the default). */
  | { readonly _tag: "Whole" }
  /** Announce the whole length, send the first `bytes`, then close the connection. */
  | { readonly _tag: "Truncate"; readonly bytes: number }
  /**
   * Announce the whole length, send the first `bytes`, then send nothing more:
   * the connection is closed after `millis` when given, else when the proxy stops.
   */
  | { readonly _tag: "Stall"; readonly bytes: number; readonly millis?: number | undefined }
  /** Close the connection without answering. */
  | { readonly _tag: "Reset" }

/**
 * A rule: which requests it applies to, how many times, and what it does.
 * Every matching rule applies, in the order added: the first `respond` wins
 * (the target is then not asked), rewrites run in order, the last `delivery`
 * wins, and every `after` runs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  /** Shown in the exchange log. */
  readonly name?: string | undefined
  /** The HTTP method (any when omitted). */
  readonly method?: string | undefined
  /** A path prefix or a test on the path (every path when omitted). */
  readonly path?: string | RegExp | undefined
  /** Any further test on the request. */
  readonly when?: ((request: Request) => boolean) | undefined
  /** How many matching requests it applies to (default 1; `Infinity` for all). */
  readonly times?: number | undefined
  /** Matching requests to let through untouched first (default 0). */
  readonly skip?: number | undefined
  /** An answer given instead of the target's. */
  readonly respond?: Answer | ((request: Request) => Answer) | undefined
  /** Changes to the answer (the target's, or `respond`'s). */
  readonly rewrite?: Rewrite | ReadonlyArray<Rewrite> | undefined
  readonly delivery?: Delivery | undefined
  /**
   * Runs once the answer is known and before it is delivered, so the client's
   * next request already sees its effect (remove a user after page 1).
   */
  readonly after?: Effect.Effect<void> | undefined
}

/**
 * A rule in place.
 *
 * @since 0.1.0
 * @category models
 */
export interface Handle {
  /** How many requests it applied to so far. */
  readonly applied: Effect.Effect<number>
  readonly remove: Effect.Effect<void>
}

/**
 * One request and what it got.
 *
 * @since 0.1.0
 * @category models
 */
export interface Exchange {
  readonly method: string
  readonly path: string
  readonly search: string
  /** The status delivered (0 for a reset without an answer). */
  readonly status: number
  /** The names (or indexes) of the rules that applied. */
  readonly rules: ReadonlyArray<string>
  readonly delivery: Delivery["_tag"]
}

/**
 * A running proxy.
 *
 * @since 0.1.0
 * @category models
 */
export interface HostileProxy {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string
  /** The target's origin. */
  readonly target: string
  /** A target URL with the proxy's origin instead (`emulator.baseUrl` → the same path on the proxy). */
  readonly through: (url: string) => string
  readonly add: (rule: Rule) => Effect.Effect<Handle>
  /** Removes every rule. */
  readonly clear: Effect.Effect<void>
  /** Every exchange so far, oldest first. */
  readonly exchanges: Effect.Effect<ReadonlyArray<Exchange>>
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The target's URL (only its origin is used). */
  readonly target: string
  /** Rewrite the target's origin to the proxy's in answers (default true). */
  readonly rewriteOrigin?: boolean | undefined
  readonly port?: number | undefined
}

interface Active {
  readonly rule: Rule
  readonly label: string
  remaining: number
  skip: number
  applied: number
}

const hopByHop = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "upgrade"])

const isTextual = (headers: ReadonlyArray<readonly [string, string]>) => {
  const type = headers.find(([name]) => name.toLowerCase() === "content-type")?.[1]
  return type === undefined || /json|text|xml|html|javascript|urlencoded/i.test(type)
}

const matches = (rule: Rule, request: Request) =>
  (rule.method === undefined || rule.method.toUpperCase() === request.method.toUpperCase()) &&
  (rule.path === undefined || (typeof rule.path === "string" ? request.path.startsWith(rule.path) : rule.path.test(request.path))) &&
  (rule.when === undefined || rule.when(request))

const readAll = (stream: NodeJS.ReadableStream): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    stream.on("data", (chunk: Buffer) => chunks.push(chunk))
    stream.on("end", () => resolve(Buffer.concat(chunks)))
    stream.on("error", reject)
  })

const pairs = (raw: ReadonlyArray<string>): Array<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!])
  return out
}

/**
 * Starts a proxy in front of `options.target` for the lifetime of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<HostileProxy, never, Scope.Scope> =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const run = Runtime.runPromise(runtime)
    const target = new URL(options.target)
    const rewriteOrigin = options.rewriteOrigin ?? true
    let rules: Array<Active> = []
    let counter = 0
    const exchanges: Array<Exchange> = []
    const sockets = new Set<Net.Socket>()
    const timers = new Set<NodeJS.Timeout>()
    let origin = ""

    const forward = (request: Request, incoming: Http.IncomingMessage, body: Buffer): Promise<{ answer: Answer; raw: Buffer }> =>
      new Promise((resolve, reject) => {
        const headers: Record<string, string | Array<string>> = {}
        for (const [name, value] of pairs(incoming.rawHeaders)) {
          const lower = name.toLowerCase()
          // identity bodies only: rules read and rewrite text
          if (hopByHop.has(lower) || lower === "accept-encoding") continue
          const existing = headers[name]
          headers[name] = existing === undefined ? value : [...(typeof existing === "string" ? [existing] : existing), value]
        }
        if (body.length > 0) headers["Content-Length"] = String(body.length)
        const upstream = Http.request(
          { host: target.hostname, port: target.port, method: request.method, path: `${request.path}${request.search}`, headers, agent: false },
          (response) => {
            readAll(response).then(
              (raw) =>
                resolve({
                  raw,
                  answer: {
                    status: response.statusCode ?? 502,
                    headers: pairs(response.rawHeaders).filter(([name]) => !hopByHop.has(name.toLowerCase())),
                    body: ""
                  }
                }),
              reject
            )
          }
        )
        upstream.on("error", reject)
        upstream.end(body)
      })

    const deliver = (
      response: Http.ServerResponse,
      answer: Answer,
      raw: Buffer,
      delivery: Delivery
    ) => {
      const headers = [...answer.headers]
      if (!headers.some(([name]) => name.toLowerCase() === "content-length")) headers.push(["Content-Length", String(raw.length)])
      response.writeHead(answer.status, headers.flat())
      switch (delivery._tag) {
        case "Whole":
          response.end(raw)
          return
        case "Truncate":
          response.write(raw.subarray(0, Math.min(delivery.bytes, raw.length)), () => {
            response.socket?.destroy()
          })
          return
        case "Stall":
          response.write(raw.subarray(0, Math.min(delivery.bytes, raw.length)))
          if (delivery.millis !== undefined) {
            const timer = setTimeout(() => {
              timers.delete(timer)
              response.socket?.destroy()
            }, delivery.millis)
            timers.add(timer)
          }
          return
        case "Reset":
          response.socket?.destroy()
          return
      }
    }

    const handle = async (incoming: Http.IncomingMessage, response: Http.ServerResponse) => {
      const url = new URL(incoming.url ?? "/", "http://proxy.invalid")
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
      }
      // the bytes as received are forwarded (an image upload is not text)
      const received = await readAll(incoming)
      const request: Request = {
        method: incoming.method ?? "GET",
        path: url.pathname,
        search: url.search,
        query: url.searchParams,
        headers,
        body: received.toString("utf8")
      }
      rules = rules.filter((r) => r.remaining > 0)
      const applying: Array<Active> = []
      for (const active of rules) {
        if (active.remaining <= 0 || !matches(active.rule, request)) continue
        if (active.skip > 0) {
          active.skip--
          continue
        }
        active.remaining--
        active.applied++
        applying.push(active)
      }
      const respond = applying.find((a) => a.rule.respond !== undefined)?.rule.respond
      const delivery = applying.reduce<Delivery>((d, a) => a.rule.delivery ?? d, { _tag: "Whole" })
      const record = (status: number) =>
        exchanges.push({
          method: request.method,
          path: request.path,
          search: request.search,
          status,
          rules: applying.map((a) => a.label),
          delivery: delivery._tag
        })
      if (delivery._tag === "Reset" && respond === undefined) {
        for (const a of applying) if (a.rule.after !== undefined) await run(a.rule.after)
        record(0)
        incoming.socket.destroy()
        return
      }
      let answer: Answer
      let raw: Buffer
      if (respond !== undefined) {
        answer = typeof respond === "function" ? respond(request) : respond
        raw = Buffer.from(answer.body, "utf8")
      } else {
        const forwarded = await forward(request, incoming, received)
        answer = forwarded.answer
        raw = forwarded.raw
      }
      const rewrites = applying.flatMap((a) => a.rule.rewrite === undefined ? [] : Array.isArray(a.rule.rewrite) ? a.rule.rewrite : [a.rule.rewrite as Rewrite])
      const textual = isTextual(answer.headers)
      const swap = (text: string) => rewriteOrigin ? text.split(target.origin).join(origin) : text
      if (respond === undefined && (rewrites.length > 0 || (rewriteOrigin && textual))) {
        answer = { ...answer, body: textual || rewrites.length > 0 ? swap(raw.toString("utf8")) : "" }
        answer = { ...answer, headers: answer.headers.map(([name, value]) => [name, swap(value)] as const) }
      } else if (respond !== undefined) {
        answer = { ...answer, body: raw.toString("utf8") }
      }
      for (const rewrite of rewrites) answer = rewrite(answer, request)
      if (rewrites.length > 0 || respond !== undefined || (rewriteOrigin && textual)) raw = Buffer.from(answer.body, "utf8")
      for (const a of applying) if (a.rule.after !== undefined) await run(a.rule.after)
      record(delivery._tag === "Reset" ? 0 : answer.status)
      deliver(response, answer, raw, delivery)
    }

    const server = Http.createServer((incoming, response) => {
      handle(incoming, response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(502, { "Content-Type": "text/plain" })
          response.end(`hostile proxy: ${error instanceof Error ? error.message : String(error)}`)
        } else {
          response.socket?.destroy()
        }
      })
    })
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })

    const port = yield* Effect.acquireRelease(
      Effect.async<number>((resume) => {
        server.listen(options.port ?? 0, "127.0.0.1", () => {
          const address = server.address()
          resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
        })
      }),
      () =>
        Effect.async<void>((resume) => {
          for (const timer of timers) clearTimeout(timer)
          for (const socket of sockets) socket.destroy()
          server.close(() => resume(Effect.void))
        })
    )
    origin = `http://127.0.0.1:${port}`

    const add = (rule: Rule) =>
      Effect.sync((): Handle => {
        const active: Active = {
          rule,
          label: rule.name ?? `rule ${++counter}`,
          remaining: rule.times ?? 1,
          skip: rule.skip ?? 0,
          applied: 0
        }
        rules.push(active)
        return {
          applied: Effect.sync(() => active.applied),
          remove: Effect.sync(() => {
            active.remaining = 0
          })
        }
      })

    return {
      url: origin,
      target: target.origin,
      through: (url: string) => {
        const parsed = new URL(url)
        return `${origin}${parsed.pathname === "/" ? "" : parsed.pathname}${parsed.search}`
      },
      add,
      clear: Effect.sync(() => {
        rules = []
      }),
      exchanges: Effect.sync(() => [...exchanges])
    }
  })

// -----------------------------------------------------------------------------
// answers
// -----------------------------------------------------------------------------

/**
 * An answer to give instead of the target's: a status, a body (a JSON value is
 * serialised with `Content-Type: application/json`, a string is sent as is)
 * and headers.
 *
 * @since 0.1.0
 * @category answers
 */
export const answer = (
  status: number,
  options: { readonly json?: unknown; readonly text?: string; readonly headers?: Readonly<Record<string, string>> } = {}
): Answer => {
  const headers: Array<readonly [string, string]> = Object.entries(options.headers ?? {})
  const hasType = headers.some(([name]) => name.toLowerCase() === "content-type")
  if (options.json !== undefined) {
    if (!hasType) headers.push(["Content-Type", "application/json"])
    return { status, headers, body: JSON.stringify(options.json) }
  }
  if (options.text !== undefined && !hasType) headers.push(["Content-Type", "text/plain"])
  return { status, headers, body: options.text ?? "" }
}

// -----------------------------------------------------------------------------
// rewrites
// -----------------------------------------------------------------------------

/**
 * Rewrites a JSON body; a body that is not JSON is left as it is.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const json = (f: (body: unknown, request: Request) => unknown): Rewrite => (current, request) => {
  let body: unknown
  try {
    body = JSON.parse(current.body)
  } catch {
    return current
  }
  return { ...current, body: JSON.stringify(f(body, request)) }
}

type Path = string | ReadonlyArray<string | number>

const segments = (path: Path): ReadonlyArray<string | number> =>
  typeof path === "string" ? (path === "" ? [] : path.split(".").map((s) => /^\d+$/.test(s) ? Number(s) : s)) : path

/**
 * Changes the value at a path (`"records"`, `"paging.totalElements"`, `""` for
 * the body itself); a path that does not exist is left alone.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const update = (path: Path, f: (value: unknown) => unknown) => (body: unknown): unknown => {
  const go = (value: unknown, rest: ReadonlyArray<string | number>): unknown => {
    if (rest.length === 0) return f(value)
    const [head, ...tail] = rest
    if (Array.isArray(value) && typeof head === "number") {
      return value.map((item, i) => i === head ? go(item, tail) : item)
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value) && head !== undefined && String(head) in value) {
      const record = value as Record<string, unknown>
      return { ...record, [String(head)]: go(record[String(head)], tail) }
    }
    return value
  }
  return go(body, segments(path))
}

/**
 * Sets the value at a path, creating the objects on the way.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const set = (path: Path, value: unknown) => (body: unknown): unknown => {
  const go = (current: unknown, rest: ReadonlyArray<string | number>): unknown => {
    if (rest.length === 0) return value
    const [head, ...tail] = rest
    const record = current !== null && typeof current === "object" && !Array.isArray(current) ? current as Record<string, unknown> : {}
    return { ...record, [String(head)]: go(record[String(head)], tail) }
  }
  return go(body, segments(path))
}

/**
 * Removes the property at a path.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const remove = (path: Path) => (body: unknown): unknown => {
  const all = segments(path)
  const key = all[all.length - 1]
  if (key === undefined) return body
  return update(all.slice(0, -1), (parent) => {
    if (parent === null || typeof parent !== "object" || Array.isArray(parent)) return parent
    const { [String(key)]: _, ...rest } = parent as Record<string, unknown>
    return rest
  })(body)
}

/**
 * Empties the array at a path (`"records"`, or `""` for a body that is an array).
 *
 * @since 0.1.0
 * @category rewrites
 */
export const emptyArray = (path: Path = ""): (body: unknown) => unknown => update(path, (value) => Array.isArray(value) ? [] : value)

/**
 * Keeps the first `keep` elements of the array at a path.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const truncateArray = (path: Path, keep: number): (body: unknown) => unknown =>
  update(path, (value) => Array.isArray(value) ? value.slice(0, keep) : value)

/**
 * Sets properties to `null` everywhere in the body, at any depth, except the
 * keys in `keep` (required fields such as `id`). With `leaves` (the default),
 * only values that are not objects or arrays are nulled, so nested optional
 * fields are reached too; without it, whole objects and arrays are nulled.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const nulls = (options: { readonly keep?: ReadonlyArray<string>; readonly leaves?: boolean } = {}) => {
  const keep = new Set(options.keep ?? [])
  const leaves = options.leaves ?? true
  const go = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(go)
    if (value === null || typeof value !== "object") return value
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => {
        if (keep.has(key)) return [key, go(v)]
        const container = v !== null && typeof v === "object"
        return [key, container && leaves ? go(v) : null]
      })
    )
  }
  return go
}

/**
 * Turns every number in the body into its numeric string, except under the
 * keys in `keep`.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const numbersToStrings = (options: { readonly keep?: ReadonlyArray<string> } = {}) => {
  const keep = new Set(options.keep ?? [])
  const go = (value: unknown): unknown => {
    if (typeof value === "number") return String(value)
    if (Array.isArray(value)) return value.map(go)
    if (value === null || typeof value !== "object") return value
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => [key, keep.has(key) ? v : go(v)]))
  }
  return go
}

/**
 * Replaces the body with an empty one (the status and headers stay).
 *
 * @since 0.1.0
 * @category rewrites
 */
export const emptyBody: Rewrite = (current) => ({ ...current, body: "" })

/**
 * Replaces the body.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const body = (text: string): Rewrite => (current) => ({ ...current, body: text })

/**
 * Replaces the status.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const status = (code: number): Rewrite => (current) => ({ ...current, status: code })

/**
 * Sets, changes or (with `undefined`) removes a header, whatever its case.
 *
 * @since 0.1.0
 * @category rewrites
 */
export const header = (name: string, value: string | undefined | ((current: string | undefined) => string | undefined)): Rewrite =>
(current) => {
  const lower = name.toLowerCase()
  const existing = current.headers.find(([n]) => n.toLowerCase() === lower)?.[1]
  const next = typeof value === "function" ? value(existing) : value
  const others = current.headers.filter(([n]) => n.toLowerCase() !== lower)
  return { ...current, headers: next === undefined ? others : [...others, [name, next] as const] }
}

/**
 * Spells every header name differently: all `upper` case, all `lower` case, or
 * `mixed` (alternating letters: `cOnTeNt-TyPe`).
 *
 * @since 0.1.0
 * @category rewrites
 */
export const headerCase = (mode: "upper" | "lower" | "mixed"): Rewrite => (current) => ({
  ...current,
  headers: current.headers.map(([name, value]) => {
    const spelled = mode === "upper"
      ? name.toUpperCase()
      : mode === "lower"
      ? name.toLowerCase()
      : [...name].map((c, i) => i % 2 === 0 ? c.toLowerCase() : c.toUpperCase()).join("")
    return [spelled, value] as const
  })
})
