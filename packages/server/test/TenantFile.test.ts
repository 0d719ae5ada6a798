import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Redacted } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as TenantFile from "../src/TenantFile.js"

const base = {
  id: "acme",
  ringcentral: { serverUrl: "https://rc.example", clientId: "id-1", clientSecret: { env: "ACME_SECRET" }, jwt: { file: "acme.jwt" } },
  people: { baseUrl: "https://people.example/v1", token: { env: "ACME_TOKEN" }, account: "acme" },
  webhook: { verificationToken: { env: "ACME_HOOK" }, address: "https://sync.example/webhooks/acme" }
}

const parse = (tenants: ReadonlyArray<unknown>, env: Record<string, string> = {}, dir = Os.tmpdir()) =>
  Effect.either(TenantFile.parse(JSON.stringify({ tenants }), Path.join(dir, "tenants.json"), { env }))

describe("TenantFile", () => {
  it.effect("resolves secrets from the environment and from files, as the CLI's variables", () =>
    Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "tenants-"))
      Fs.writeFileSync(Path.join(dir, "acme.jwt"), "jwt-value\n")
      const result = yield* parse([base], { ACME_SECRET: "s3cret", ACME_TOKEN: "tok", ACME_HOOK: "hook" }, dir)
      const [tenant] = Either.getOrThrow(result)
      expect(tenant!.id).toBe("acme")
      const env = Object.fromEntries([...tenant!.env].map(([k, v]) => [k, Redacted.value(v)]))
      expect(env).toEqual({
        RINGCENTRAL_SERVER_URL: "https://rc.example",
        RINGCENTRAL_CLIENT_ID: "id-1",
        RINGCENTRAL_CLIENT_SECRET: "s3cret",
        RINGCENTRAL_JWT: "jwt-value",
        PEOPLE_CONTACTS_BASE_URL: "https://people.example/v1",
        PEOPLE_CONTACTS_TOKEN: "tok",
        PEOPLE_CONTACTS_ACCOUNT: "acme"
      })
      expect([...tenant!.secrets].sort()).toEqual(["PEOPLE_CONTACTS_TOKEN", "RINGCENTRAL_CLIENT_SECRET", "RINGCENTRAL_JWT"])
      expect(Redacted.value(tenant!.webhook.verificationToken!)).toBe("hook")
      expect(tenant!.webhook.address).toBe("https://sync.example/webhooks/acme")
      expect(tenant!.sync.concurrency).toBe(4)
      expect(tenant!.sync.cron).toBeDefined()
    }))

  it.effect("refuses a secret written inline, naming the tenant and the field but never the value", () =>
    Effect.gen(function*() {
      const inline = { ...base, people: { ...base.people, token: "hunter2-plain" } }
      const result = yield* parse([inline], { ACME_SECRET: "s", ACME_HOOK: "h" })
      expect(Either.isLeft(result)).toBe(true)
      const message = Either.isLeft(result) ? result.left.message : ""
      expect(message).toContain("tenants[0] (acme): people.token is a secret written inline")
      expect(message).toContain(`{ "env": "VARIABLE" }`)
      expect(message).not.toContain("hunter2")
      const inlineHook = { ...base, webhook: { verificationToken: "plain-hook" } }
      const hook = yield* parse([inlineHook], { ACME_SECRET: "s", ACME_TOKEN: "t" })
      expect(Either.isLeft(hook) && hook.left.message).toContain("webhook.verificationToken is a secret written inline")
    }))

  it.effect("names a missing variable, an unknown field, a duplicate id, a bad cron", () =>
    Effect.gen(function*() {
      const env = { ACME_SECRET: "s", ACME_TOKEN: "t", ACME_HOOK: "h" }
      const noFile = { ...base, ringcentral: { ...base.ringcentral, jwt: { env: "ACME_JWT" } } }
      const missing = yield* parse([noFile], env)
      expect(Either.isLeft(missing) && missing.left.message).toContain("ringcentral.jwt: the environment variable ACME_JWT is not set")
      const unknown = yield* parse([{ ...noFile, people: { ...base.people, tokn: "x" } }], { ...env, ACME_JWT: "j" })
      expect(Either.isLeft(unknown) && unknown.left.message).toContain("people.tokn is not a known field")
      const twice = yield* parse([noFile, noFile], { ...env, ACME_JWT: "j" })
      expect(Either.isLeft(twice) && twice.left.message).toContain("the id acme is used twice")
      const cron = yield* parse([{ ...noFile, sync: { cron: "61 * * * *" } }], { ...env, ACME_JWT: "j" })
      expect(Either.isLeft(cron) && cron.left.message).toContain("invalid cron expression")
      const badId = yield* parse([{ ...noFile, id: "Not OK" }], { ...env, ACME_JWT: "j" })
      expect(Either.isLeft(badId) && badId.left.message).toContain("the id must be")
      const off = yield* parse([{ ...noFile, sync: { cron: "off" } }], { ...env, ACME_JWT: "j" })
      expect(Either.getOrThrow(off)[0]!.sync.cron).toBeUndefined()
      const region = yield* parse([{ ...noFile, sync: { region: "ZZ" } }], { ...env, ACME_JWT: "j" })
      expect(Either.isLeft(region) && region.left.message).toContain("must be a two-letter country code with a phone numbering plan")
      expect(Either.getOrThrow(yield* parse([{ ...noFile, sync: { region: "gb" } }], { ...env, ACME_JWT: "j" }))[0]!.sync.region).toBe("gb")
      // URLs are checked when the file is read, and the value is not repeated (it may carry a password)
      for (
        const [tenant, where] of [
          [{ ...noFile, people: { ...base.people, baseUrl: "people.example/v1" } }, "people.baseUrl"],
          [{ ...noFile, people: { ...base.people, baseUrl: "https://user:hunter2@people.example/v1" } }, "people.baseUrl"],
          [{ ...noFile, ringcentral: { ...noFile.ringcentral, serverUrl: "ftp://rc.example" } }, "ringcentral.serverUrl"],
          [{ ...noFile, ringcentral: { ...noFile.ringcentral, mediaUrl: "::" } }, "ringcentral.mediaUrl"],
          [{ ...noFile, webhook: { ...base.webhook, address: "sync.example/webhooks/acme" } }, "webhook.address"]
        ] as const
      ) {
        const refused = yield* parse([tenant], { ...env, ACME_JWT: "j" })
        expect(Either.isLeft(refused) && refused.left.message).toContain(`${where} must be an absolute http(s) URL`)
        expect(Either.isLeft(refused) && refused.left.message).not.toContain("hunter2")
      }
    }))

  it.effect("a file that cannot be read or is not JSON", () =>
    Effect.gen(function*() {
      const none = yield* Effect.either(TenantFile.load("/nonexistent/tenants.json"))
      expect(Either.isLeft(none) && none.left.message).toBe("tenant file /nonexistent/tenants.json: cannot be read: ENOENT")
      const bad = yield* Effect.either(TenantFile.parse("{ not json", "t.json"))
      expect(Either.isLeft(bad) && bad.left.message).toContain("not valid JSON")
    }))
})
