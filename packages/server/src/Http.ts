/**
 * The service's HTTP endpoints, the same in one process and on every runner
 * of a cluster:
 *
 * | endpoint | what |
 * |---|---|
 * | `GET /healthz` | 200 while the process serves |
 * | `GET /readyz` | 200 once every tenant is ready (state opened, webhook mounted; on a runner: registered in the cluster), else 503 with the reasons |
 * | `GET /metrics` | Prometheus text (see `Metrics`) |
 * | `POST /webhooks/:tenant` | the tenant's directory-event webhook (validation handshake, verification token, 413, de-duplication) |
 * | `POST /tenants/:tenant/sync` | starts a sync (`?verify=true` for a verifying one, `?run=ID` to name the run): 202 with the run id; needs the admin token |
 * | `GET /tenants/:tenant/runs/:run` | a run's state: `running`, or its summary; needs the admin token |
 *
 * The admin endpoints answer 404 unless an admin token is configured, and 401
 * without `Authorization: Bearer <token>`.
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { timingSafeEqual } from "node:crypto"
import * as Metrics from "./Metrics.js"

/**
 * A run's state as the endpoints show it.
 *
 * @since 0.1.0
 * @category models
 */
export type RunStatus =
  | { readonly state: "unknown" }
  | { readonly state: "running" }
  | { readonly state: "done"; readonly result: unknown }
  | { readonly state: "failed"; readonly error: string }

/**
 * What the endpoints act on.
 *
 * @since 0.1.0
 * @category models
 */
export interface Handlers {
  readonly tenants: ReadonlySet<string>
  /** Why the service is not ready yet (empty: ready). */
  readonly notReady: Effect.Effect<ReadonlyArray<string>>
  /** The webhook of a tenant, once mounted. */
  readonly webhook: (tenant: string) => Effect.Effect<Option.Option<HttpApp.Default<never, HttpServerRequest.HttpServerRequest>>>
  /** Starts a run; answers its id. */
  readonly requestSync: (tenant: string, options: { readonly runId: string; readonly verify: boolean }) => Effect.Effect<string, unknown>
  readonly runStatus: (tenant: string, runId: string) => Effect.Effect<RunStatus, unknown>
  readonly adminToken?: Redacted.Redacted | undefined
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * The endpoints as an app (unknown paths answer 404).
 *
 * @since 0.1.0
 * @category constructors
 */
export const app = (handlers: Handlers): Effect.Effect<HttpApp.Default> =>
  Effect.map(
    HttpRouter.toHttpApp(router(handlers)),
    (app) => Effect.catchTag(app, "RouteNotFound", () => Effect.succeed(HttpServerResponse.text("not found", { status: 404 })))
  )

/**
 * The router of the endpoints.
 *
 * @since 0.1.0
 * @category constructors
 */
export const router = (handlers: Handlers): HttpRouter.HttpRouter<never, never> => {
  const tenantParam = Effect.map(HttpRouter.params, (p) => p.tenant ?? "")
  const admin = <E, R>(
    handler: (tenant: string) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
  ) =>
    Effect.gen(function*() {
      if (handlers.adminToken === undefined) return HttpServerResponse.text("not found", { status: 404 })
      const request = yield* HttpServerRequest.HttpServerRequest
      const given = (request.headers.authorization ?? "").replace(/^Bearer\s+/i, "")
      if (!safeEqual(given, Redacted.value(handlers.adminToken))) return HttpServerResponse.text("unauthorized", { status: 401 })
      const tenant = yield* tenantParam
      if (!handlers.tenants.has(tenant)) return HttpServerResponse.text("unknown tenant", { status: 404 })
      return yield* handler(tenant)
    })
  const failed = (e: unknown) =>
    HttpServerResponse.text(typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e), { status: 500 })
  return HttpRouter.empty.pipe(
    HttpRouter.get("/healthz", HttpServerResponse.text("ok")),
    HttpRouter.get(
      "/readyz",
      Effect.map(handlers.notReady, (reasons) =>
        reasons.length === 0
          ? HttpServerResponse.text("ready")
          : HttpServerResponse.text(`not ready: ${reasons.join("; ")}`, { status: 503 }))
    ),
    HttpRouter.get(
      "/metrics",
      Effect.map(Metrics.render, (text) => HttpServerResponse.text(text, { contentType: "text/plain; version=0.0.4; charset=utf-8" }))
    ),
    HttpRouter.post(
      "/webhooks/:tenant",
      Effect.gen(function*() {
        const tenant = yield* tenantParam
        const app = yield* handlers.webhook(tenant)
        if (Option.isNone(app)) {
          return HttpServerResponse.text(handlers.tenants.has(tenant) ? "webhook not ready" : "unknown tenant", {
            status: handlers.tenants.has(tenant) ? 503 : 404
          })
        }
        return yield* app.value
      })
    ),
    HttpRouter.post(
      "/tenants/:tenant/sync",
      admin((tenant) =>
        Effect.gen(function*() {
          const request = yield* HttpServerRequest.HttpServerRequest
          const url = new URL(request.url, "http://localhost")
          const verify = url.searchParams.get("verify") === "true"
          const runId = url.searchParams.get("run") ?? `requested-${Date.now().toString(36)}`
          const started = yield* Effect.either(handlers.requestSync(tenant, { runId, verify }))
          return started._tag === "Left"
            ? failed(started.left)
            : yield* HttpServerResponse.json({ tenant, runId: started.right }, { status: 202 })
        })
      )
    ),
    HttpRouter.get(
      "/tenants/:tenant/runs/:run",
      admin((tenant) =>
        Effect.gen(function*() {
          const runId = (yield* HttpRouter.params).run ?? ""
          const status = yield* Effect.either(handlers.runStatus(tenant, runId))
          if (status._tag === "Left") return failed(status.left)
          return yield* HttpServerResponse.json(status.right, { status: status.right.state === "unknown" ? 404 : 200 })
        })
      )
    ),
    HttpRouter.catchAll((e) => Effect.succeed(failed(e)))
  )
}
