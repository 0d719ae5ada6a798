import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Loopback from "@unified-people/testkit/Loopback"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import * as Events from "../src/Events.js"
import * as Extensions from "../src/Extensions.js"
import * as Provisioning from "../src/Provisioning.js"
import * as RingCentralClient from "../src/RingCentralClient.js"

describe("extension changes reach directory subscribers", () => {
  it.scopedLive("update, batch provisioning and bulk delete are delivered as directory events", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ size: 12, federatedShare: 0 })
      const client = yield* RingCentralClient.make(Emulator.clientOptions(emulator))
      const context = Context.make(RingCentralClient.RingCentralClient, client)
      const extensions = yield* Effect.provide(Extensions.make, context)
      const provisioning = yield* Effect.provide(Provisioning.make, context)
      const hook = yield* Events.makeWebhook({ allowUnverified: true })
      const receiver = yield* Loopback.serve(hook.app)
      const events = yield* Effect.provide(Events.make, context)
      yield* events.createSubscription({ address: `${receiver.url}/hook` })

      const [target, doomed] = emulator.store.list().filter((e) => e.type === "User" && e.id !== emulator.store.ownerId)
      yield* extensions.updateExtension(target!.id, { contact: { jobTitle: "Head of Events" } })
      const report = yield* provisioning.postBatchProvisionUsers([
        { status: "Enabled", contact: { firstName: "Ev", lastName: "Ent", email: "ev.ent@example.com" } }
      ])
      const created = report.results[0]
      expect(created?._tag).toBe("Created")
      const deleted = yield* provisioning.bulkDeleteUsersV2([doomed!.id])
      expect(deleted.results[0]?._tag).toBe("Deleted")

      yield* emulator.subscriptions.deliver
      const changes = Chunk.toReadonlyArray(
        yield* Stream.runCollect(Stream.take(hook.changes, 3)).pipe(Effect.timeout("5 seconds"))
      )
      const byId = new Map<string, Events.ContactChange>(changes.map((c) => [c.contact.id, c]))
      expect(byId.get(target!.id)?.eventType).toBe("Update")
      expect(byId.get(target!.id)?.person.jobTitle).toBe("Head of Events")
      const createdId = created?._tag === "Created" ? created.extensionId! : ""
      expect(byId.get(createdId)?.eventType).toBe("Create")
      expect(byId.get(createdId)?.person.name.given).toBe("Ev")
      expect(byId.get(doomed!.id)?.eventType).toBe("Delete")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
