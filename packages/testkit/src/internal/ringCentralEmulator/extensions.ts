/**
 * What the emulator's extension route groups share (`RingCentralEmulator/Extensions/*.ts`):
 * JSON checks, the RingCentral error bodies of invalid and unknown parameters,
 * the extension and account lookups of the path, and resource URIs.
 *
 * @internal
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Context from "../../RingCentralEmulator/Context.js"
import type * as Store from "../../RingCentralEmulator/Store.js"

/** @internal */
export type Json = Record<string, unknown>

/** @internal */
export const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)

/** @internal */
export const isStringArray = (u: unknown): u is ReadonlyArray<string> => Array.isArray(u) && u.every((s) => typeof s === "string")

/** @internal */
export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** @internal */
export const e164Pattern = /^\+[1-9]\d{1,14}$/

/** `400 CMN-101` naming the parameter. @internal */
export const invalid = (parameterName: string, message?: string) =>
  Context.error(400, "CMN-101", message ?? `Parameter [${parameterName}] value is invalid`, { parameterName })

/** `404 CMN-102` naming the parameter. @internal */
export const notFound = (parameterName = "extensionId") =>
  Context.error(404, "CMN-102", `Resource for parameter [${parameterName}] is not found`, { parameterName })

/** The request body as JSON, `undefined` when it is not JSON. @internal */
export const readJson = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
  Effect.orElseSucceed(request.json, () => undefined as unknown))

/** @internal */
export const extensionUri = (base: string, extension: Store.Extension) =>
  `${base}/restapi/v1.0/account/${extension.accountId}/extension/${extension.id}`

/** The entries whose value is not `undefined`. @internal */
export const defined = (entries: Json): Json => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined))

/** The outcome of a validation: fine, or the parameter at fault. @internal */
export type Check = { readonly ok: true } | { readonly ok: false; readonly parameterName: string; readonly message?: string }

/** @internal */
export const ok: Check = { ok: true }

/** @internal */
export const fail = (parameterName: string, message?: string): Check =>
  message === undefined ? { ok: false, parameterName } : { ok: false, parameterName, message }

/**
 * Runs `handler` with the extension of the path (`:accountId` / `:extensionId`,
 * `~` for the account of the token), or answers `404 CMN-102`.
 *
 * @internal
 */
export const withExtension = <E, R>(
  context: Context.Context,
  handler: (extension: Store.Extension) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) =>
  Effect.flatMap(HttpRouter.params, (p) => {
    const extension = context.store.get(p.extensionId ?? "")
    return extension === undefined || (p.accountId !== "~" && p.accountId !== extension.accountId)
      ? Effect.succeed(notFound())
      : handler(extension)
  })

/**
 * Runs `handler` with the account id of the path (`~` for the account of the
 * token), or answers `404 CMN-102`.
 *
 * @internal
 */
export const withAccount = <E, R>(
  context: Context.Context,
  handler: (accountId: string) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) =>
  Effect.flatMap(HttpRouter.params, (p) => {
    const id = p.accountId === "~" ? context.store.account.id : p.accountId
    return id === undefined || !context.store.accounts.some((a) => a.id === id) ? Effect.succeed(notFound("accountId")) : handler(id)
  })

/** A sub-resource of an extension as JSON, with its `uri` first. @internal */
export const withUri = (context: Context.Context, extension: Store.Extension, suffix: string, body: Json) =>
  HttpServerResponse.unsafeJson({ uri: `${extensionUri(context.baseUrl(), extension)}/${suffix}`, ...body })

/** The path of one extension, as the routes declare it. @internal */
export const extensionPath = "/restapi/v1.0/account/:accountId/extension/:extensionId"
