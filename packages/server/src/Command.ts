/**
 * The `serve` command (`unified-people serve`, added to the CLI's commands by
 * the CLI with its `Connections` and `SqliteState` as the {@link Connector}):
 *
 * ```sh
 * unified-people serve --tenants tenants.json [--port 8080] [--host 0.0.0.0] [--state-dir DIR] [--no-startup-sync]
 * UNIFIED_PEOPLE_DATABASE_URL=postgres://… unified-people serve --tenants tenants.json \
 *   --runner-host 10.0.0.5 --runner-port 34431 [--port 8080]        # one runner of a cluster
 * ```
 *
 * Without `UNIFIED_PEOPLE_DATABASE_URL` the service runs in one process with
 * each tenant's state in its own SQLite file (`--state-dir`); with it, this
 * process is a runner of a cluster on that PostgreSQL database. The admin
 * endpoints are enabled by `UNIFIED_PEOPLE_ADMIN_TOKEN`. Secrets come from the
 * environment or files only, never from the command line.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Cluster from "./Cluster.js"
import * as Connector from "./Connector.js"
import * as Serve from "./Serve.js"
import * as TenantFile from "./TenantFile.js"

const tenants = Options.text("tenants").pipe(
  Options.withDescription("The tenant file (JSON; or UNIFIED_PEOPLE_TENANTS)."),
  Options.withFallbackConfig(Config.string("UNIFIED_PEOPLE_TENANTS"))
)
const port = Options.integer("port").pipe(
  Options.withDescription("The port of the webhooks, health, readiness and metrics endpoints (default 8080, or UNIFIED_PEOPLE_PORT)."),
  Options.withFallbackConfig(Config.integer("UNIFIED_PEOPLE_PORT").pipe(Config.withDefault(8080)))
)
const host = Options.text("host").pipe(
  Options.withDescription("The address the endpoints listen on (default 0.0.0.0)."),
  Options.withDefault("0.0.0.0")
)
const stateDir = Options.text("state-dir").pipe(
  Options.withDescription("One process: where each tenant's SQLite state file is kept (default .unified-people/tenants)."),
  Options.withFallbackConfig(Config.string("UNIFIED_PEOPLE_STATE_DIR").pipe(Config.withDefault(".unified-people/tenants")))
)
const runnerHost = Options.text("runner-host").pipe(
  Options.withDescription("Cluster: the host other runners reach this one at (default localhost, or UNIFIED_PEOPLE_RUNNER_HOST)."),
  Options.withFallbackConfig(Config.string("UNIFIED_PEOPLE_RUNNER_HOST").pipe(Config.withDefault("localhost")))
)
const runnerPort = Options.integer("runner-port").pipe(
  Options.withDescription("Cluster: the port of the runner protocol (default 34431, or UNIFIED_PEOPLE_RUNNER_PORT)."),
  Options.withFallbackConfig(Config.integer("UNIFIED_PEOPLE_RUNNER_PORT").pipe(Config.withDefault(34431)))
)
const runnerName = Options.text("runner-name").pipe(
  Options.withDescription("This process's name in leases and request headers (default host:pid, or the runner address)."),
  Options.optional
)
const chunkSize = Options.integer("chunk-size").pipe(
  Options.withDescription("Cluster: people per durable step of a sync (default 50)."),
  Options.withDefault(50)
)
const noStartupSync = Options.boolean("no-startup-sync").pipe(
  Options.withDescription("One process: do not sync every tenant at startup.")
)

/**
 * The settings read from the environment: the database and the admin token
 * (secrets), and the sync state's lease time to live in a cluster. The
 * cluster's own timings are read by `@effect/cluster` from the environment
 * (`SHARD_LOCK_EXPIRATION`, `SHARD_LOCK_REFRESH_INTERVAL`,
 * `REFRESH_ASSIGNMENTS_INTERVAL`, `ENTITY_MESSAGE_POLL_INTERVAL`, …).
 *
 * @since 0.1.0
 * @category config
 */
export const environment = Config.all({
  database: Config.option(Config.redacted("UNIFIED_PEOPLE_DATABASE_URL")),
  adminToken: Config.option(Config.redacted("UNIFIED_PEOPLE_ADMIN_TOKEN")),
  leaseTtl: Config.option(Config.duration("UNIFIED_PEOPLE_LEASE_TTL"))
})

/**
 * The `serve` command over a connector.
 *
 * @since 0.1.0
 * @category commands
 */
export const make = (connector: Connector.Service) =>
  Command.make(
    "serve",
    { tenants, port, host, stateDir, runnerHost, runnerPort, runnerName, chunkSize, noStartupSync },
    (o) =>
      Effect.gen(function*() {
        const env = yield* environment
        const list = yield* TenantFile.load(o.tenants)
        const adminToken = Option.getOrUndefined(env.adminToken)
        if (Option.isNone(env.database)) {
          return yield* Serve.run({
            tenants: list,
            port: o.port,
            host: o.host,
            stateDir: o.stateDir,
            runner: Option.getOrUndefined(o.runnerName),
            adminToken,
            startupSync: !o.noStartupSync
          })
        }
        return yield* Layer.launch(Cluster.layer({
          tenants: list,
          database: env.database.value,
          port: o.port,
          host: o.host,
          runnerAddress: { host: o.runnerHost, port: o.runnerPort },
          runner: Option.getOrUndefined(o.runnerName),
          adminToken,
          chunkSize: o.chunkSize,
          leaseTtl: Option.getOrUndefined(env.leaseTtl)
        }))
      }).pipe(Effect.provide(Connector.layer(connector)))
  ).pipe(
    Command.withDescription(
      "Serve tenants: webhooks, subscriptions, scheduled verifying syncs, health and metrics; one process (SQLite) or a cluster runner (PostgreSQL)."
    )
  )
