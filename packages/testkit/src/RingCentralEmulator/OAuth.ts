/**
 * The emulator's token endpoint: JWT bearer grant and refresh (single-use
 * refresh tokens) with Basic client credentials, expiring access tokens, and
 * revoke.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Context from "./Context.js"

const oauthError = (status: number, error: string, code: string, description: string) =>
  HttpServerResponse.unsafeJson({ error, errors: [{ errorCode: code, message: description }], error_description: description }, { status })

const randomToken = (prefix: string) => `${prefix}${crypto.randomUUID().replace(/-/g, "")}`

/**
 * The OAuth routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (context: Context.Context): HttpRouter.HttpRouter<never, never> =>
  HttpRouter.empty.pipe(
    HttpRouter.post(
      "/restapi/oauth/token",
      context.guard("Auth", Effect.gen(function*() {
        context.counters.tokenRequests++
        const request = yield* HttpServerRequest.HttpServerRequest
        const now = yield* Clock.currentTimeMillis
        const expected = Buffer.from(`${context.settings.clientId}:${context.settings.clientSecret}`).toString("base64")
        if (request.headers["authorization"] !== `Basic ${expected}`) {
          return oauthError(401, "invalid_client", "OAU-123", "Invalid client credentials")
        }
        const params = new URLSearchParams(yield* Effect.orElseSucceed(request.text, () => ""))
        const grantType = params.get("grant_type")
        let ownerId = context.store.ownerId
        if (grantType === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
          if (params.get("assertion") !== context.settings.jwt) {
            return oauthError(400, "invalid_grant", "OAU-140", "Invalid JWT assertion")
          }
        } else if (grantType === "refresh_token") {
          const token = params.get("refresh_token") ?? ""
          const info = context.refreshTokens.get(token)
          // single use
          context.refreshTokens.delete(token)
          if (info === undefined || info.expiresAt <= now) {
            return oauthError(400, "invalid_grant", "OAU-211", "Token is revoked or expired")
          }
          ownerId = info.ownerId
        } else {
          return oauthError(400, "unsupported_grant_type", "OAU-250", "Unsupported grant type")
        }
        const accessToken = randomToken("emu-at-")
        const refreshToken = randomToken("emu-rt-")
        const { tokenLifetimeSeconds, refreshTokenLifetimeSeconds } = context.settings
        context.tokens.set(accessToken, { expiresAt: now + tokenLifetimeSeconds * 1000, ownerId })
        context.refreshTokens.set(refreshToken, { expiresAt: now + refreshTokenLifetimeSeconds * 1000, ownerId })
        context.counters.tokensIssued++
        return HttpServerResponse.unsafeJson({
          access_token: accessToken,
          token_type: "bearer",
          expires_in: tokenLifetimeSeconds,
          refresh_token: refreshToken,
          refresh_token_expires_in: refreshTokenLifetimeSeconds,
          scope: "ReadAccounts EditAccounts EditExtensions SubscriptionWebhook",
          owner_id: ownerId
        })
      }), { authenticate: false })
    ),
    HttpRouter.post(
      "/restapi/oauth/revoke",
      context.guard("Auth", Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const params = new URLSearchParams(yield* Effect.orElseSucceed(request.text, () => ""))
        const token = params.get("token") ?? ""
        context.tokens.delete(token)
        context.refreshTokens.delete(token)
        return HttpServerResponse.empty({ status: 200 })
      }), { authenticate: false })
    )
  )
