/**
 * What the service needs from the application around it: how a tenant's
 * connections become the sync's ports, and how a single-process service
 * opens a tenant's state file. The CLI provides it with its `Connections`
 * (read from the tenant's `ConfigProvider`) and its `SqliteState`, so the
 * service itself depends on no native module:
 *
 * ```ts
 * Connector.layer({
 *   connect: (provider) => Effect.withConfigProvider(Effect.flatMap(Connections.config, Connections.make), provider),
 *   stateFile: (filename) => SqliteState.layer({ filename })
 * })
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ContactBook from "@unified-people/core/ContactBook"
import type * as HttpPolicy from "@unified-people/core/HttpPolicy"
import type * as PeopleDirectory from "@unified-people/core/PeopleDirectory"
import type * as SyncState from "@unified-people/core/SyncState"
import type * as ConfigError from "effect/ConfigError"
import type * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * The sync's ports of one tenant (the shape of the CLI's `Connections.Service`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Ports {
  readonly source: PeopleDirectory.Service
  readonly target: PeopleDirectory.Service
  readonly contacts: ContactBook.Service
  readonly stats: ReadonlyArray<Effect.Effect<HttpPolicy.Stats>>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** A tenant's ports, from its connections given as the CLI's configuration variables. */
  readonly connect: (config: ConfigProvider.ConfigProvider) => Effect.Effect<Ports, ConfigError.ConfigError, HttpClient.HttpClient>
  /** A state store in a file (single-process mode). */
  readonly stateFile: (filename: string) => Layer.Layer<SyncState.SyncState, SyncState.SyncStateError | ConfigError.ConfigError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Connector extends Context.Tag("@unified-people/server/Connector")<Connector, Service>() {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (service: Service): Layer.Layer<Connector> => Layer.succeed(Connector, service)
