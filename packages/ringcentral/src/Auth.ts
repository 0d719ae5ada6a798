/**
 * RingCentral authentication (the `Auth` area): the JWT bearer grant
 * (`POST /restapi/oauth/token` with Basic client credentials), refresh ahead of
 * expiry with the single-use refresh token, and a single-flight guarantee (a
 * hundred concurrent requests needing a token cause one token request). A
 * static access token is supported too. Tokens are `Redacted`.
 *
 * The client builds its `Auth` service itself from its credentials (every call
 * needs a token), so {@link make} and {@link layer} hand over the client's own:
 * the same counters, the same token. The token request goes through the
 * client's `HttpPolicy` (bucket `Auth`): one attempt is the request and its
 * whole JSON answer, so a cut, stalled or empty token answer is asked again.
 *
 * | operation | group |
 * |---|---|
 * | `getToken` (JWT grant, and the refresh with the refresh token) | Auth |
 *
 * @since 0.1.0
 */
import type * as PeopleError from "@unified-people/core/PeopleError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as internal from "./internal/auth.js"
import { type Operation, RingCentralClient } from "./RingCentralClient.js"
import type { Credentials } from "./RingCentralConfig.js"

export {
  /**
   * @since 0.1.0
   * @category schemas
   */
  TokenInfo
} from "./Auth/Schema.js"

/**
 * The operation of this area with its `x-throttling-group`.
 *
 * @since 0.1.0
 * @category constants
 */
export const operations = {
  getToken: { operationId: "getToken", method: "POST", path: "/restapi/oauth/token", group: "Auth" }
} as const satisfies Record<string, Operation>

/**
 * Counters of an auth service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  /** Token requests sent (grants and refreshes). */
  readonly tokenRequests: number
  readonly grants: number
  readonly refreshes: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** A valid access token, fetched (`getToken`) or refreshed when needed (single-flight). */
  readonly token: Effect.Effect<Redacted.Redacted, PeopleError.PeopleError>
  /** Forgets `token` after the server refused it, so that the next `token` refreshes. */
  readonly invalidate: (token: Redacted.Redacted) => Effect.Effect<void>
  /** Whether `invalidate` + retry can help (false for a static token). */
  readonly canRefresh: boolean
  /**
   * The secrets remote messages must be scrubbed of: the configured
   * credentials and the access and refresh tokens obtained so far (the recent ones).
   */
  readonly secrets: () => ReadonlyArray<Redacted.Redacted>
  readonly stats: Effect.Effect<Stats>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Auth extends Context.Tag("@unified-people/ringcentral/Auth")<Auth, Service>() {}

/**
 * The secrets of a set of credentials: the client secret, the JWT and the
 * Basic credential built from them, or the static access token.
 *
 * @since 0.1.0
 * @category secrets
 */
export const credentialSecrets: (credentials: Credentials) => ReadonlyArray<Redacted.Redacted> = internal.credentialSecrets

/**
 * The service of the client in context (the client holds the tokens).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, RingCentralClient> = Effect.map(RingCentralClient, (client) => client.auth)

/**
 * The service over the `RingCentralClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Auth, never, RingCentralClient> = Layer.effect(Auth, make)
