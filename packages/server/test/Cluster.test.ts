/**
 * The cluster on a real PostgreSQL (the suite's server, a fresh database):
 * runners in this process, tenants on the emulators.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, inject, it } from "@effect/vitest"
import * as Sync from "@unified-people/core/Sync"
import * as SyncState from "@unified-people/core/SyncState"
import * as Connections from "@unified-people/cli/Connections"
import { Duration, Effect, Layer, Redacted, Schedule } from "effect"
import * as Cluster from "../src/Cluster.js"
import { duplicates, emulators, endState, freePort, freshDatabase, provideTestLive, tenantEntry, tenantsOf } from "./utils.js"

const admin = "admin-secret"

const eventually = <A, E, R>(effect: Effect.Effect<A, E, R>, check: (a: A) => boolean) =>
  effect.pipe(
    Effect.filterOrFail(check, () => "not yet" as const),
    Effect.retry({ schedule: Schedule.spaced(Duration.millis(200)), while: (e) => e === "not yet" }),
    Effect.catchIf((e): e is "not yet" => e === "not yet", () => Effect.dieMessage("unreachable"))
  )

const call = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(request.pipe(HttpClientRequest.bearerToken(admin)))).pipe(
    Effect.flatMap((r) => Effect.map(r.text, (text) => ({ status: r.status, text }))),
    Effect.scoped,
    // a runner not listening yet
    Effect.catchTag("RequestError", (e) => Effect.succeed({ status: 0, text: e.message }))
  )

describe("Cluster (PostgreSQL)", () => {
  it.scopedLive("two runners: each tenant's sync a workflow, converged; a scheduled verifying run; webhook events at any runner applied once", () =>
    Effect.gen(function*() {
      const database = yield* freshDatabase(inject("pgUrl"), "cluster")
      const companies = yield* Effect.all([emulators({ seed: 51, size: 20 }), emulators({ seed: 52, size: 20 })])
      const references = yield* Effect.all([emulators({ seed: 51, size: 20 }), emulators({ seed: 52, size: 20 })])
      const ports = yield* Effect.all([freePort, freePort])
      const runners = ports.map((port) => `http://127.0.0.1:${port}`)
      const env: Record<string, string> = {}
      // t0's subscription (kept alive by one runner) points at the second runner
      const tenants = yield* tenantsOf([
        tenantEntry("t0", companies[0], env, { webhookAddress: `${runners[1]}/webhooks/t0` }),
        // t1's verifying sync every 3 seconds (a cluster cron: one runner starts each run)
        tenantEntry("t1", companies[1], env, { sync: { cron: "*/3 * * * * *" } })
      ], env)
      yield* Effect.forEach(ports, (port) =>
        Effect.gen(function*() {
          const runnerPort = yield* freePort
          yield* Layer.launch(Cluster.layer({
            tenants,
            database,
            port,
            host: "127.0.0.1",
            runnerAddress: { host: "127.0.0.1", port: runnerPort },
            adminToken: Redacted.make(admin),
            chunkSize: 5,
            sharding: { entityMessagePollInterval: Duration.millis(500), refreshAssignmentsInterval: Duration.millis(500) }
          })).pipe(Effect.tapErrorCause(Effect.logError), Effect.forkScoped)
        }))
      for (const url of runners) yield* eventually(call(HttpClientRequest.get(`${url}/readyz`)), (r) => r.status === 200)
      // runs started at either runner
      for (const [i, url] of runners.entries()) {
        const started = yield* call(HttpClientRequest.post(`${url}/tenants/t${i}/sync?run=first`))
        expect(started.status).toBe(202)
      }
      for (const [i, url] of runners.entries()) {
        const done = yield* eventually(
          call(HttpClientRequest.get(`${url}/tenants/t${i}/runs/first`)),
          (r) => r.status === 200 && JSON.parse(r.text).state !== "running"
        )
        const body = JSON.parse(done.text)
        expect(body.state).toBe("done")
        expect(body.result.status).toBe("complete")
        // (t1's scheduled runs may have done the work before its first run planned)
        if (i === 0) expect(body.result.chunks).toBeGreaterThan(1)
      }
      // the scheduled verifying run of t1 (its run id names the minute it was started in)
      const scheduledRun = (at: number) => `scheduled-${new Date(Math.floor(at / 60_000) * 60_000).toISOString()}`
      const scheduled = yield* eventually(
        Effect.forEach([Date.now(), Date.now() - 60_000], (at) => call(HttpClientRequest.get(`${runners[0]}/tenants/t1/runs/${scheduledRun(at)}`))),
        (answers) => answers.some((r) => r.status === 200 && JSON.parse(r.text).state === "done")
      )
      const verifying = JSON.parse(scheduled.find((r) => r.status === 200 && JSON.parse(r.text).state === "done")!.text)
      expect(verifying.result.status).toBe("complete")
      for (const [i, reference] of references.entries()) {
        const clean = yield* Effect.flatMap(Connections.make(reference.settings), (ports) => Sync.run({ ...ports, concurrency: 4 })).pipe(
          Effect.provide(SyncState.layerMemory),
          Effect.orDie
        )
        expect(clean.summary.status).toBe("complete")
        expect(endState(companies[i]!.people)).toEqual(endState(reference.people))
        expect(duplicates(companies[i]!.people)).toEqual([])
      }

      // a directory change: delivered to the second runner, applied by t0's entity
      const a = companies[0]
      yield* eventually(Effect.sync(() => a.ringcentral.subscriptions.all.size), (n) => n === 1)
      const [changedId, changedPerson] = [...a.company.matched][3]!
      const accepted = yield* a.ringcentral.changeDirectory((store) =>
        void store.update(changedId, (e) => {
          e.phoneNumbers = [...e.phoneNumbers, { id: store.nextId(), phoneNumber: "+13035550177", usageType: "MobileNumber" }]
        })
      )
      expect(accepted).toBe(1)
      const hasMobile = () => a.people.contactsOf(changedPerson).filter((c) => c.telephone === "+13035550177" && c.integration).length
      yield* eventually(Effect.sync(hasMobile), (n) => n === 1)
      // the same delivery at the other runner: acknowledged, dropped
      a.people.clearRequests()
      const delivery = a.ringcentral.subscriptions.delivered[0]!
      const again = yield* Effect.flatMap(HttpClient.HttpClient, (client) =>
        client.execute(
          HttpClientRequest.post(`${runners[0]}/webhooks/t0`).pipe(
            HttpClientRequest.bodyUnsafeJson(delivery.event),
            HttpClientRequest.setHeader("Verification-Token", "hook-t0")
          )
        )).pipe(Effect.scoped, Effect.orDie)
      expect(again.status).toBe(200)
      // a forged one is refused at any runner
      const forged = yield* Effect.flatMap(HttpClient.HttpClient, (client) =>
        client.execute(
          HttpClientRequest.post(`${runners[0]}/webhooks/t0`).pipe(
            HttpClientRequest.bodyUnsafeJson(delivery.event),
            HttpClientRequest.setHeader("Verification-Token", "forged")
          )
        )).pipe(Effect.scoped, Effect.orDie)
      expect(forged.status).toBe(403)
      yield* Effect.sleep(Duration.seconds(1))
      expect(hasMobile()).toBe(1)
      expect(a.people.requests().filter((r) => r.method !== "GET")).toEqual([])
      expect(duplicates(a.people)).toEqual([])
    }).pipe(provideTestLive), { timeout: 150_000 })
})
