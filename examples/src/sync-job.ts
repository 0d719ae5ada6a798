/**
 * A sync job: the RingCentral company directory into the People system's
 * contacts, against both loopback emulators, with its state in memory. The
 * second run finds the directory unchanged (one call, no writes).
 *
 *   node --conditions=@unified-people/source --import tsx examples/src/sync-job.ts
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Connections } from "@unified-people/cli"
import { Sync, SyncState } from "@unified-people/core"
import { Emulators } from "@unified-people/testkit"
import { Console, Effect } from "effect"

export const main = Effect.gen(function*() {
  const emulators = yield* Emulators.start({ size: 60 })
  const connections = yield* Connections.make(emulators.settings)
  // source: RingCentral directory; target + contacts: the People system
  const job = yield* Sync.make({ ...connections, concurrency: 8 })

  const dryRun = yield* Sync.make({ ...connections, dryRun: true }).pipe(Effect.flatMap((j) => j.plan))
  yield* Console.log(Sync.formatPlan(dryRun).split("\n").slice(0, 8).join("\n"))

  const first = yield* job.run
  yield* Console.log(Sync.formatSummary(first.summary))
  const second = yield* job.run
  yield* Console.log(Sync.formatSummary(second.summary))
  return { dryRun, first, second, emulators }
}).pipe(Effect.provide(SyncState.layerMemory), Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))

if (import.meta.url === `file://${process.argv[1]}`) Effect.runPromise(main)
