/**
 * The tenant file: the tenants a service syncs, each with its RingCentral and
 * People-system connections, its webhook and its sync settings. Secrets are
 * given by reference, never inline: `{ "env": "VARIABLE" }` reads an
 * environment variable, `{ "file": "PATH" }` a file (relative to the tenant
 * file; one trailing newline is dropped). A secret written inline is refused
 * with an error naming the tenant and the field, never the value.
 *
 * ```json
 * {
 *   "tenants": [
 *     {
 *       "id": "acme",
 *       "ringcentral": {
 *         "serverUrl": "https://platform.ringcentral.com",
 *         "clientId": "AbC123",
 *         "clientSecret": { "env": "ACME_RC_CLIENT_SECRET" },
 *         "jwt": { "file": "secrets/acme.jwt" }
 *       },
 *       "people": {
 *         "baseUrl": "https://api.example.com/v1",
 *         "token": { "env": "ACME_PEOPLE_TOKEN" },
 *         "account": "acme"
 *       },
 *       "webhook": {
 *         "verificationToken": { "env": "ACME_WEBHOOK_TOKEN" },
 *         "address": "https://sync.example.com/webhooks/acme"
 *       },
 *       "sync": { "cron": "0 3 * * *", "concurrency": 4 }
 *     }
 *   ],
 *   "defaults": { "sync": { "cron": "30 2 * * *" } }
 * }
 * ```
 *
 * The connection fields are the CLI's environment variables in camel case
 * (`ringcentral.clientSecret` is `RINGCENTRAL_CLIENT_SECRET`,
 * `people.token` is `PEOPLE_CONTACTS_TOKEN`): {@link configProvider} gives a
 * tenant's connections to the same `Config` the CLI reads.
 *
 * @since 0.1.0
 */
import * as HttpPolicy from "@unified-people/core/HttpPolicy"
import * as Normalize from "@unified-people/core/Normalize"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Cron from "effect/Cron"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"

/**
 * The tenant file cannot be used: it cannot be read, it is not valid, or a
 * secret is inline or cannot be resolved. The message names the tenant and
 * the field, never a secret's value.
 *
 * @since 0.1.0
 * @category errors
 */
export class TenantFileError extends Schema.TaggedError<TenantFileError>("@unified-people/server/TenantFileError")(
  "TenantFileError",
  {
    file: Schema.String,
    reason: Schema.String
  }
) {
  get isRetryable(): boolean {
    return false
  }
  override get message(): string {
    return `tenant file ${this.file}: ${this.reason}`
  }
}

/**
 * A secret by reference.
 *
 * @since 0.1.0
 * @category models
 */
export type SecretRef = { readonly env: string } | { readonly file: string }

/**
 * The sync settings of a tenant.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncSettings {
  /** When the verifying sync runs (cron, UTC; default `0 3 * * *`); `"off"` for never. */
  readonly cron: Cron.Cron | undefined
  /** People planned and applied at once (default 4). */
  readonly concurrency: number
  /** Region of phone numbers without a country code (default `US`). */
  readonly region: string
  readonly maxDeletes?: number | undefined
  readonly maxDeleteRatio?: number | undefined
  readonly allowMassDelete?: boolean | undefined
  /** Whether the People system's batch export and import are used (default `auto`). */
  readonly bulk: "auto" | "always" | "never"
  /** Scales both clients' rate-limit windows (emulators with scaled limits; default 1). */
  readonly rateLimitScale?: number | undefined
}

/**
 * A tenant, its secrets resolved (as `Redacted`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Tenant {
  readonly id: string
  /** Connection settings as the CLI's environment variables (`RINGCENTRAL_SERVER_URL`, …), secrets resolved. */
  readonly env: ReadonlyMap<string, Redacted.Redacted>
  /** The names of the variables of {@link env} that are secrets. */
  readonly secrets: ReadonlySet<string>
  readonly webhook: {
    /** The verification token deliveries must carry (required to mount the webhook). */
    readonly verificationToken: Redacted.Redacted | undefined
    /** The public URL of this tenant's webhook: given, the service keeps a subscription to it alive. */
    readonly address: string | undefined
  }
  readonly sync: SyncSettings
  /** The SQLite state file of a single-process service (default `<state dir>/<id>.sqlite`). */
  readonly state: string | undefined
}

/** The connection fields of each section and the variable each becomes; `true` marks a secret. */
const sections = {
  ringcentral: {
    prefix: "RINGCENTRAL_",
    fields: { serverUrl: false, mediaUrl: false, accountId: false, clientId: false, clientSecret: true, jwt: true, accessToken: true }
  },
  people: {
    prefix: "PEOPLE_CONTACTS_",
    fields: { baseUrl: false, token: true, account: false, accountHeader: false, perPage: false }
  }
} as const

/** The connection fields that are URLs, checked when the file is read (not at a tenant's first request). */
const urlFields: ReadonlySet<string> = new Set(["serverUrl", "mediaUrl", "baseUrl"])

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()

const tenantId = /^[a-z0-9][a-z0-9_-]{0,62}$/

const Numberish = Schema.Number
const SyncFields = Schema.Struct({
  cron: Schema.optional(Schema.String),
  concurrency: Schema.optional(Schema.Int.pipe(Schema.between(1, 64))),
  region: Schema.optional(Schema.String.pipe(Schema.filter(Normalize.isPhoneRegion, { message: () => Normalize.phoneRegionExpectation }))),
  maxDeletes: Schema.optional(Schema.NonNegativeInt),
  maxDeleteRatio: Schema.optional(Numberish.pipe(Schema.between(0, 1))),
  allowMassDelete: Schema.optional(Schema.Boolean),
  bulk: Schema.optional(Schema.Literal("auto", "always", "never")),
  rateLimitScale: Schema.optional(Numberish.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(1)))
})

const Shape = Schema.Struct({
  tenants: Schema.Array(
    Schema.Struct({
      id: Schema.String,
      ringcentral: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
      people: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
      webhook: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
      sync: Schema.optional(SyncFields),
      state: Schema.optional(Schema.String)
    })
  ),
  defaults: Schema.optional(Schema.Struct({ sync: Schema.optional(SyncFields) }))
})

const isRef = (value: unknown): value is SecretRef =>
  typeof value === "object" && value !== null && !Array.isArray(value) &&
  ((Object.keys(value).length === 1 && ("env" in value && typeof value.env === "string")) ||
    (Object.keys(value).length === 1 && ("file" in value && typeof value.file === "string")))

/**
 * Options of {@link parse} and {@link load}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The environment secrets are read from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
}

const inline = (where: string) =>
  `${where} is a secret written inline: secrets are refused in the tenant file; give { "env": "VARIABLE" } or { "file": "PATH" }`

/**
 * Reads a value: a plain one as it is, a reference from the environment or a file.
 * Fails with a reason that never holds the value.
 */
const resolveValue = (
  value: unknown,
  where: string,
  secret: boolean,
  dir: string,
  env: Readonly<Record<string, string | undefined>>
): Effect.Effect<string, string> => {
  if (isRef(value)) {
    if ("env" in value) {
      const found = env[value.env]
      return found === undefined || found === ""
        ? Effect.fail(`${where}: the environment variable ${value.env} is not set`)
        : Effect.succeed(found)
    }
    const file = Path.resolve(dir, value.file)
    return Effect.tryPromise({ try: () => Fs.readFile(file, "utf8"), catch: () => `${where}: cannot read the file ${file}` }).pipe(
      Effect.map((text) => text.replace(/\r?\n$/, "")),
      Effect.filterOrFail((text) => text !== "", () => `${where}: the file ${file} is empty`)
    )
  }
  if (secret) return Effect.fail(inline(where))
  if (typeof value === "string") return Effect.succeed(value)
  if (typeof value === "number" || typeof value === "boolean") return Effect.succeed(String(value))
  return Effect.fail(`${where}: expected a string or { "env": … } / { "file": … }`)
}

const parseCron = (expression: string | undefined, where: string): Either.Either<Cron.Cron | undefined, string> => {
  if (expression === undefined) return Either.right(Cron.unsafeParse("0 3 * * *"))
  if (expression === "off") return Either.right(undefined)
  return Either.mapLeft(Cron.parse(expression), (e) => `${where}: invalid cron expression "${expression}": ${e.message}`)
}

/**
 * Validates a tenant file's contents and resolves its secrets.
 *
 * @since 0.1.0
 * @category constructors
 */
export const parse = (
  text: string,
  file: string,
  options: Options = {}
): Effect.Effect<ReadonlyArray<Tenant>, TenantFileError> =>
  Effect.gen(function*() {
    const fail = (reason: string) => new TenantFileError({ file, reason })
    const env = options.env ?? process.env
    const dir = Path.dirname(Path.resolve(file))
    const json = yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: (e) => fail(`not valid JSON: ${(e as Error).message}`) })
    const shape = yield* Schema.decodeUnknown(Shape, { onExcessProperty: "error" })(json).pipe(
      Effect.mapError((e) => fail(e.message))
    )
    if (shape.tenants.length === 0) return yield* fail("no tenants")
    const seen = new Set<string>()
    const tenants: Array<Tenant> = []
    for (const [index, raw] of shape.tenants.entries()) {
      const label = `tenants[${index}]${tenantId.test(raw.id) ? ` (${raw.id})` : ""}`
      if (!tenantId.test(raw.id)) {
        return yield* fail(`${label}: the id must be 1 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit`)
      }
      if (seen.has(raw.id)) return yield* fail(`${label}: the id ${raw.id} is used twice`)
      seen.add(raw.id)
      // every field is checked (known, no inline secret) before any reference is read
      for (const [name, section] of Object.entries(sections)) {
        for (const [field, value] of Object.entries(raw[name as keyof typeof sections])) {
          const where = `${label}: ${name}.${field}`
          if (!(field in section.fields)) {
            return yield* fail(`${where} is not a known field (known: ${Object.keys(section.fields).join(", ")})`)
          }
          if (section.fields[field as keyof typeof section.fields] && !isRef(value)) {
            return yield* fail(inline(where))
          }
        }
      }
      if (raw.webhook?.verificationToken !== undefined && !isRef(raw.webhook.verificationToken)) {
        return yield* fail(inline(`${label}: webhook.verificationToken`))
      }
      const values = new Map<string, Redacted.Redacted>()
      const secrets = new Set<string>()
      for (const [name, section] of Object.entries(sections)) {
        const given = raw[name as keyof typeof sections]
        for (const [field, value] of Object.entries(given)) {
          const where = `${label}: ${name}.${field}`
          if (!(field in section.fields)) {
            return yield* fail(`${where} is not a known field (known: ${Object.keys(section.fields).join(", ")})`)
          }
          const secret = section.fields[field as keyof typeof section.fields] as boolean
          const resolved = yield* Effect.mapError(resolveValue(value, where, secret, dir, env), fail)
          if (urlFields.has(field) && !HttpPolicy.isHttpUrl(resolved)) return yield* fail(`${where} ${HttpPolicy.httpUrlExpectation}`)
          const variable = `${section.prefix}${snake(field)}`
          values.set(variable, Redacted.make(resolved))
          if (secret) secrets.add(variable)
        }
      }
      const webhook = raw.webhook ?? {}
      for (const field of Object.keys(webhook)) {
        if (field !== "verificationToken" && field !== "address") {
          return yield* fail(`${label}: webhook.${field} is not a known field (known: verificationToken, address)`)
        }
      }
      const verificationToken = webhook.verificationToken === undefined
        ? undefined
        : Redacted.make(
          yield* Effect.mapError(resolveValue(webhook.verificationToken, `${label}: webhook.verificationToken`, true, dir, env), fail)
        )
      const address = webhook.address === undefined
        ? undefined
        : yield* Effect.mapError(resolveValue(webhook.address, `${label}: webhook.address`, false, dir, env), fail)
      if (address !== undefined && !HttpPolicy.isHttpUrl(address)) return yield* fail(`${label}: webhook.address ${HttpPolicy.httpUrlExpectation}`)
      const sync = { ...shape.defaults?.sync, ...raw.sync }
      const cron = parseCron(sync.cron, `${label}: sync.cron`)
      if (Either.isLeft(cron)) return yield* fail(cron.left)
      if (sync.rateLimitScale !== undefined) values.set("UNIFIED_PEOPLE_RATE_LIMIT_SCALE", Redacted.make(String(sync.rateLimitScale)))
      tenants.push({
        id: raw.id,
        env: values,
        secrets,
        webhook: { verificationToken, address },
        sync: {
          cron: cron.right,
          concurrency: sync.concurrency ?? 4,
          region: sync.region ?? "US",
          maxDeletes: sync.maxDeletes,
          maxDeleteRatio: sync.maxDeleteRatio,
          allowMassDelete: sync.allowMassDelete,
          bulk: sync.bulk ?? "auto",
          rateLimitScale: sync.rateLimitScale
        },
        state: raw.state === undefined ? undefined : Path.resolve(dir, raw.state)
      })
    }
    return tenants
  })

/**
 * Reads and parses a tenant file.
 *
 * @since 0.1.0
 * @category constructors
 */
export const load = (file: string, options: Options = {}): Effect.Effect<ReadonlyArray<Tenant>, TenantFileError> =>
  Effect.tryPromise({
    try: () => Fs.readFile(file, "utf8"),
    catch: (e) => new TenantFileError({ file, reason: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? "error"}` })
  }).pipe(Effect.flatMap((text) => parse(text, file, options)))

/**
 * A tenant's connections as a `ConfigProvider` of the CLI's variables
 * (`RINGCENTRAL_*`, `PEOPLE_CONTACTS_*`, `UNIFIED_PEOPLE_RATE_LIMIT_SCALE`):
 * give it to the same `Config` the CLI reads from the environment.
 *
 * @since 0.1.0
 * @category config
 */
export const configProvider = (tenant: Tenant): ConfigProvider.ConfigProvider =>
  ConfigProvider.fromMap(new Map([...tenant.env].map(([k, v]) => [k, Redacted.value(v)])), { pathDelim: "_" })

/**
 * The `Config` of a tenant file path and nothing else, for commands
 * (`UNIFIED_PEOPLE_TENANTS`).
 *
 * @since 0.1.0
 * @category config
 */
export const pathConfig: Config.Config<string> = Config.string("UNIFIED_PEOPLE_TENANTS")
