/**
 * Test helpers: the CLI's connector, tenants on emulators, a fresh database
 * per test file on the suite's PostgreSQL server, and the People system's
 * contacts as comparable rows.
 */
import { NodeHttpClient } from "@effect/platform-node"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Connections from "@unified-people/cli/Connections"
import * as SqliteState from "@unified-people/cli/SqliteState"
import * as Emulators from "@unified-people/testkit/Emulators"
import type * as PeopleEmulator from "@unified-people/testkit/PeopleContactsEmulator"
import * as Postgres from "@unified-people/testkit/Postgres"
import { Effect, Layer, Redacted } from "effect"
import type * as Scope from "effect/Scope"
import * as Net from "node:net"
import * as Connector from "../src/Connector.js"
import * as TenantFile from "../src/TenantFile.js"

/** The Node HTTP client of every test. */
export const HttpLive = NodeHttpClient.layerUndici

/** The CLI's connections and SQLite state, as `unified-people serve` gets them. */
export const ConnectorLive = Connector.layer({
  connect: (provider) => Effect.withConfigProvider(Effect.flatMap(Connections.config, Connections.make), provider),
  stateFile: (filename) => SqliteState.layer({ filename })
})

/** A free TCP port on loopback. */
export const freePort: Effect.Effect<number> = Effect.promise(() =>
  new Promise<number>((resolve, reject) => {
    const server = Net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })
)

/** A new database on the suite's server (see globalSetup.ts); its URL. */
export const freshDatabase = (serverUrl: string, name: string): Effect.Effect<Redacted.Redacted> =>
  Effect.gen(function*() {
    const database = `${name}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`.toLowerCase().replace(/[^a-z0-9_]/g, "_")
    yield* Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`CREATE DATABASE ${database}`)).pipe(
      Effect.provide(PgClient.layer({ url: Redacted.make(serverUrl), maxConnections: 1 })),
      Effect.orDie
    )
    return Redacted.make(Postgres.databaseUrl(serverUrl, database))
  })

/** A tenant file entry for emulators, its secrets as references to `env`. */
export const tenantEntry = (
  id: string,
  emulators: Emulators.Emulators,
  env: Record<string, string>,
  extra: { readonly webhookAddress?: string; readonly sync?: Record<string, unknown> } = {}
) => {
  const key = id.toUpperCase().replace(/[^A-Z0-9]/g, "_")
  env[`${key}_RC_SECRET`] = emulators.env.RINGCENTRAL_CLIENT_SECRET!
  env[`${key}_RC_JWT`] = emulators.env.RINGCENTRAL_JWT!
  env[`${key}_PEOPLE_TOKEN`] = emulators.env.PEOPLE_CONTACTS_TOKEN!
  env[`${key}_HOOK_TOKEN`] = `hook-${id}`
  return {
    id,
    ringcentral: {
      serverUrl: emulators.env.RINGCENTRAL_SERVER_URL,
      clientId: emulators.env.RINGCENTRAL_CLIENT_ID,
      clientSecret: { env: `${key}_RC_SECRET` },
      jwt: { env: `${key}_RC_JWT` }
    },
    people: {
      baseUrl: emulators.env.PEOPLE_CONTACTS_BASE_URL,
      token: { env: `${key}_PEOPLE_TOKEN` },
      account: emulators.env.PEOPLE_CONTACTS_ACCOUNT
    },
    webhook: {
      verificationToken: { env: `${key}_HOOK_TOKEN` },
      ...(extra.webhookAddress === undefined ? {} : { address: extra.webhookAddress })
    },
    sync: { rateLimitScale: emulators.scale, cron: "off", ...extra.sync }
  }
}

/** Parses tenant entries as a tenant file would be. */
export const tenantsOf = (entries: ReadonlyArray<unknown>, env: Record<string, string>) =>
  TenantFile.parse(JSON.stringify({ tenants: entries }), "tenants.json", { env }).pipe(Effect.orDie)

/** The contacts per person without ids, sorted: two runs converged when these are equal. */
export const endState = (people: PeopleEmulator.Emulator): Record<number, ReadonlyArray<string>> => {
  const out: Record<number, Array<string>> = {}
  for (const c of people.contacts.values()) {
    ;(out[c.personId] ??= []).push(`${c.label}|${c.email ?? c.telephone ?? c.chat ?? c.website ?? ""}|${c.integration}`)
  }
  for (const list of Object.values(out)) list.sort()
  return out
}

/** People holding the same integration contact twice. */
export const duplicates = (people: PeopleEmulator.Emulator): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const twice: Array<string> = []
  for (const c of people.contacts.values()) {
    if (!c.integration) continue
    const key = `${c.personId}|${c.label}|${c.email ?? c.telephone ?? c.chat ?? c.website ?? ""}`
    if (seen.has(key)) twice.push(key)
    seen.add(key)
  }
  return twice
}

/** Both emulators with a company, for the lifetime of the scope. */
export const emulators = (options: Emulators.Options = {}) => Emulators.start({ size: 40, scale: 0.001, ...options })

/** Layers every server test needs. */
export const TestLive = Layer.merge(ConnectorLive, HttpLive)

/**
 * Provides {@link TestLive} built in the test's own scope, so the HTTP client
 * outlives every service the test starts (its scope closes after theirs: a
 * client closed under a running service made each test wait for its requests).
 */
export const provideTestLive = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, Scope.Scope | Exclude<R, Layer.Layer.Success<typeof TestLive>>> =>
  Effect.flatMap(Layer.build(TestLive), (context) => Effect.provide(effect, context))
