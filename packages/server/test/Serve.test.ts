import { HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Connections from "@unified-people/cli/Connections"
import { ConfigProvider, Duration, Effect, Option, Redacted, Schedule } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Serve from "../src/Serve.js"
import { duplicates, emulators, endState, freePort, tenantEntry, tenantsOf, provideTestLive } from "./utils.js"

const admin = "admin-secret"

/** Waits (polling, no upper bound but the test's timeout) until `check` holds. */
const eventually = <A, E, R>(effect: Effect.Effect<A, E, R>, check: (a: A) => boolean) =>
  effect.pipe(
    Effect.filterOrFail(check, () => "not yet" as const),
    Effect.retry({ schedule: Schedule.spaced(Duration.millis(100)), while: (e) => e === "not yet" }),
    Effect.catchIf((e): e is "not yet" => e === "not yet", () => Effect.dieMessage("unreachable"))
  )

const get = (url: string) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(HttpClientRequest.get(url).pipe(HttpClientRequest.bearerToken(admin)))).pipe(
      Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
      Effect.scoped,
      Effect.orDie
    )

const post = (url: string) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(HttpClientRequest.post(url).pipe(HttpClientRequest.bearerToken(admin)))).pipe(
      Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
      Effect.scoped,
      Effect.orDie
    )

describe("Serve (one process, SQLite)", () => {
  it.scopedLive("serves two tenants: startup syncs, webhook events applied once, health, readiness and metrics", () =>
    Effect.gen(function*() {
      const a = yield* emulators({ seed: 11 })
      const b = yield* emulators({ seed: 12 })
      const reference = yield* emulators({ seed: 11 })
      const port = yield* freePort
      const env: Record<string, string> = {}
      const tenants = yield* tenantsOf([
        tenantEntry("alpha", a, env, { webhookAddress: `http://127.0.0.1:${port}/webhooks/alpha` }),
        tenantEntry("beta", b, env)
      ], env)
      const stateDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "serve-"))
      const served = yield* Serve.make({
        tenants,
        port,
        host: "127.0.0.1",
        stateDir,
        runner: "test-runner"
      }).pipe(Effect.catchAll(Effect.die))
      expect(served.url).toBe(`http://127.0.0.1:${port}`)
      expect((yield* get(`${served.url}/healthz`)).status).toBe(200)
      yield* eventually(get(`${served.url}/readyz`), (r) => r.status === 200)
      // the startup syncs and a requested one converge to a clean run's state
      const clean = yield* Effect.flatMap(Connections.make(reference.settings), (ports) =>
        Sync.run({ ...ports, concurrency: 4 })).pipe(Effect.provide(SyncState.layerMemory), Effect.orDie)
      expect(clean.summary.status).toBe("complete")
      yield* eventually(Effect.sync(() => endState(a.people)), (s) => JSON.stringify(s) === JSON.stringify(endState(reference.people)))
      expect(duplicates(a.people)).toEqual([])
      yield* eventually(Effect.sync(() => [...b.people.contacts.values()].filter((c) => c.integration).length), (n) => n > 0)
      expect(Fs.existsSync(Path.join(stateDir, "alpha.sqlite"))).toBe(true)
      expect(Fs.existsSync(Path.join(stateDir, "beta.sqlite"))).toBe(true)

      // the subscription was created to the tenant's webhook; a change is delivered and applied
      yield* eventually(Effect.sync(() => a.ringcentral.subscriptions.all.size), (n) => n === 1)
      const runtime = Option.getOrThrow(yield* served.tenant("alpha"))
      yield* eventually(runtime.exclusive(Effect.void).pipe(Effect.as(true)), (x) => x)
      const [changedId, changedPerson] = [...a.company.matched][4]!
      const accepted = yield* a.ringcentral.changeDirectory((store) =>
        void store.update(changedId, (e) => {
          e.phoneNumbers = [...e.phoneNumbers, { id: store.nextId(), phoneNumber: "+13035550166", usageType: "MobileNumber" }]
        })
      )
      expect(accepted).toBe(1)
      const hasMobile = () =>
        a.people.contactsOf(changedPerson).filter((c) => c.telephone === "+13035550166" && c.integration).length
      yield* eventually(Effect.sync(hasMobile), (n) => n === 1)
      const uuid = a.ringcentral.subscriptions.delivered[0]!.event.uuid
      yield* eventually(Effect.orDie(runtime.state.isEventProcessed(String(uuid))), (done) => done)
      // a repeated delivery is acknowledged and dropped; a forged one refused
      a.people.clearRequests()
      expect(yield* a.ringcentral.subscriptions.redeliver(a.ringcentral.subscriptions.delivered[0]!)).toBe(1)
      expect(yield* a.ringcentral.subscriptions.redeliver(a.ringcentral.subscriptions.delivered[0]!, { verificationToken: "forged" })).toBe(0)
      yield* Effect.sleep(Duration.millis(300))
      expect(hasMobile()).toBe(1)
      expect(a.people.requests().filter((r) => r.method !== "GET")).toEqual([])

      // metrics: runs, writes, events
      const metrics = (yield* get(`${served.url}/metrics`)).text
      expect(metrics).toMatch(/unified_people_sync_runs_total\{tenant="alpha",kind="startup",status="complete"\} 1/)
      expect(metrics).toMatch(/unified_people_sync_writes_total\{tenant="alpha",op="create"\} \d+/)
      expect(metrics).toMatch(/unified_people_events_received_total\{tenant="alpha"\} 1/)
      expect(metrics).toMatch(/unified_people_events_applied_total\{tenant="alpha"\} 1/)
      expect(metrics).toContain("unified_people_event_lag_seconds")
      // without an admin token the admin endpoints do not exist; a webhook of an unknown tenant neither
      expect((yield* post(`${served.url}/tenants/alpha/sync`)).status).toBe(404)
      expect((yield* post(`${served.url}/webhooks/nobody`)).status).toBe(404)
    }).pipe(provideTestLive), { timeout: 120_000 })

  it.scopedLive("a second subscription to the tenant's address is pruned to one: the earliest stays (adopted), others' are untouched", () =>
    Effect.gen(function*() {
      const a = yield* emulators({ seed: 13 })
      const port = yield* freePort
      const env: Record<string, string> = {}
      const address = `http://127.0.0.1:${port}/webhooks/alpha`
      const tenants = yield* tenantsOf([tenantEntry("alpha", a, env, { webhookAddress: address })], env)
      const stateDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "serve-"))
      const served = yield* Serve.make({ tenants, port, host: "127.0.0.1", stateDir, runner: "test-runner" }).pipe(
        Effect.catchAll(Effect.die),
        Effect.withConfigProvider(
          ConfigProvider.fromMap(new Map([["SUBSCRIPTION_CHECK_INTERVAL", "200 millis"]])).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
        )
      )
      yield* eventually(get(`${served.url}/readyz`), (r) => r.status === 200)
      const subscriptions = a.ringcentral.subscriptions
      const ofTenant = () => [...subscriptions.all.values()].filter((s) => s.address === address)
      const remembered = Path.join(stateDir, "alpha.sqlite.subscription")
      const [own] = yield* eventually(Effect.sync(ofTenant), (list) => list.length === 1)
      yield* eventually(Effect.sync(() => Fs.existsSync(remembered) && Fs.readFileSync(remembered, "utf8")), (id) => id === own!.id)
      // created on the emulator behind the keeper's back: an earlier one to the same address (a second
      // holder's), a later one, and others the keeper must leave alone (another address, another filter)
      const now = Date.now()
      const directory = "/restapi/v1.0/account/~/directory/entries"
      const add = (id: string, address: string, eventFilters: ReadonlyArray<string>, creationTime: number) =>
        subscriptions.all.set(id, {
          id,
          eventFilters,
          address,
          verificationToken: "hook-alpha",
          creationTime,
          expiresAt: now + 3_600_000,
          expiresIn: 3600,
          status: "Active"
        })
      add("earlier", address, [directory], own!.creationTime - 60_000)
      add("later", address, [directory], now + 1)
      add("elsewhere", "http://127.0.0.1:1/webhooks/other", [directory], now - 120_000)
      add("extensions", address, ["/restapi/v1.0/account/~/extension"], now - 120_000)
      yield* eventually(Effect.sync(() => ofTenant().filter((s) => s.eventFilters[0] === directory).map((s) => s.id)), (ids) => ids.length === 1)
      expect(ofTenant().filter((s) => s.eventFilters[0] === directory).map((s) => s.id)).toEqual(["earlier"])
      expect(subscriptions.all.has("elsewhere")).toBe(true)
      expect(subscriptions.all.has("extensions")).toBe(true)
      // the adopted one is remembered (a restart deletes it), and stays one over further checks
      yield* eventually(Effect.sync(() => Fs.readFileSync(remembered, "utf8")), (id) => id === "earlier")
      yield* Effect.sleep(Duration.millis(1000))
      expect(ofTenant().filter((s) => s.eventFilters[0] === directory).map((s) => s.id)).toEqual(["earlier"])
      // a change is delivered once, to the one left
      const before = subscriptions.delivered.length
      const target = a.ringcentral.store.list()[3]!
      yield* a.ringcentral.changeDirectory((store) => void store.update(target.id, (e) => void (e.contact.lastName = "Pruned")))
      expect(subscriptions.delivered.slice(before).filter((d) => address === subscriptions.all.get(d.subscriptionId)?.address).map((d) => d.subscriptionId)).toEqual(["earlier"])
    }).pipe(provideTestLive), { timeout: 120_000 })

  it.scopedLive("admin endpoints, the verifying sync on its cron schedule, 429s counted, and the admin token required", () =>
    Effect.gen(function*() {
      const a = yield* emulators({ seed: 21, size: 20 })
      const env: Record<string, string> = {}
      // a verifying sync every 2 seconds
      const tenants = yield* tenantsOf([tenantEntry("gamma", a, env, { sync: { cron: "*/2 * * * * *" } })], env)
      // the People system answers 429 twice: the client waits and retries, the metrics count them
      yield* a.people.faults.inject({ fault: { _tag: "Status", status: 429, headers: { "retry-after": "0" } }, times: 2, method: "GET" })
      const served = yield* Serve.make({
        tenants,
        port: 0,
        host: "127.0.0.1",
        stateDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "serve-")),
        adminToken: Redacted.make(admin),
        startupSync: false
      }).pipe(Effect.catchAll(Effect.die))
      yield* eventually(get(`${served.url}/readyz`), (r) => r.status === 200)
      const started = yield* post(`${served.url}/tenants/gamma/sync?run=first&verify=true`)
      expect(started.status).toBe(202)
      expect(JSON.parse(started.text)).toEqual({ tenant: "gamma", runId: "first" })
      const done = yield* eventually(get(`${served.url}/tenants/gamma/runs/first`), (r) => JSON.parse(r.text).state === "done")
      expect(JSON.parse(done.text).result.status).toBe("complete")
      expect(JSON.parse(done.text).result.created).toBeGreaterThan(0)
      expect((yield* get(`${served.url}/tenants/gamma/runs/nothing`)).status).toBe(404)
      expect((yield* post(`${served.url}/tenants/nobody/sync`)).status).toBe(404)
      const unauthorized = yield* Effect.flatMap(HttpClient.HttpClient, (client) =>
        client.execute(HttpClientRequest.post(`${served.url}/tenants/gamma/sync`).pipe(HttpClientRequest.bearerToken("wrong")))).pipe(
          Effect.scoped,
          Effect.orDie
        )
      expect(unauthorized.status).toBe(401)
      // the scheduled verifying runs happen, complete, and write nothing more
      const metrics = yield* eventually(
        Effect.map(get(`${served.url}/metrics`), (r) => r.text),
        (text) => /unified_people_sync_runs_total\{tenant="gamma",kind="scheduled",status="complete"\} [2-9]/.test(text)
      )
      expect(metrics).toMatch(/unified_people_http_429_total\{tenant="gamma",side="people-contacts"\} 2/)
      expect(metrics).toMatch(/unified_people_last_sync_timestamp_seconds\{tenant="gamma"\} \d+/)
      expect(duplicates(a.people)).toEqual([])
    }).pipe(provideTestLive), { timeout: 120_000 })

  it.scopedLive("hostile webhook deliveries: a wrong token, an unknown tenant, an oversized body, not JSON", () =>
    Effect.gen(function*() {
      const a = yield* emulators({ seed: 31, size: 10 })
      const env: Record<string, string> = {}
      const tenants = yield* tenantsOf([tenantEntry("delta", a, env)], env)
      const served = yield* Serve.make({
        tenants,
        port: 0,
        host: "127.0.0.1",
        stateDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "serve-")),
        startupSync: false
      }).pipe(Effect.catchAll(Effect.die))
      yield* eventually(get(`${served.url}/readyz`), (r) => r.status === 200)
      const runtime = Option.getOrThrow(yield* served.tenant("delta"))
      const deliver = (path: string, body: string, token: string | undefined) =>
        Effect.flatMap(HttpClient.HttpClient, (client) =>
          client.execute(
            HttpClientRequest.post(`${served.url}${path}`).pipe(
              HttpClientRequest.bodyText(body, "application/json"),
              token === undefined ? (r) => r : HttpClientRequest.setHeader("verification-token", token)
            )
          )).pipe(Effect.map((r) => r.status), Effect.scoped, Effect.orDie)
      const [remoteId] = [...a.company.matched.keys()]
      const event = JSON.stringify({
        uuid: "evt-hostile-1",
        event: "/restapi/v1.0/account/~/directory/entries",
        timestamp: new Date().toISOString(),
        subscriptionId: "sub-1",
        body: { accountId: "1", entries: [{ id: remoteId, eventType: "Update" }] }
      })
      expect(yield* deliver("/webhooks/delta", event, "forged")).toBe(403)
      expect(yield* deliver("/webhooks/delta", event, undefined)).toBe(403)
      expect(yield* deliver("/webhooks/nobody", event, "hook-delta")).toBe(404)
      expect(yield* deliver("/webhooks/delta", "x".repeat(2 * 1024 * 1024), "hook-delta")).toBe(413)
      expect(yield* deliver("/webhooks/delta", "{ not json", "hook-delta")).toBe(400)
      // none of them reached the People system or the state
      expect(a.people.requests().filter((r) => r.method !== "GET")).toEqual([])
      expect(yield* Effect.orDie(runtime.state.isEventProcessed("evt-hostile-1"))).toBe(false)
      const metrics = (yield* get(`${served.url}/metrics`)).text
      expect(metrics).not.toMatch(/unified_people_events_received_total\{tenant="delta"\}/)
      // the service still serves
      expect((yield* get(`${served.url}/healthz`)).status).toBe(200)
    }).pipe(provideTestLive), { timeout: 120_000 })
})
