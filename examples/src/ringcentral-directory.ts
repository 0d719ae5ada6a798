/**
 * RingCentral example: starts the loopback RingCentral emulator with a generated
 * company directory, then lists the directory as canonical `Person`s through
 * the core `PeopleDirectory` port (JWT auth, paging, rate limits and mapping all
 * real), shows a conditional re-read (304) and a search.
 *
 *   node --conditions=@unified-people/source --import tsx examples/src/ringcentral-directory.ts
 */
import { NodeHttpClient } from "@effect/platform-node"
import { ContactPoint, PeopleDirectory } from "@unified-people/core"
import { RingCentralClient, RingCentralPeople } from "@unified-people/ringcentral"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import { Console, Effect, Layer, Stream } from "effect"

const program = Effect.gen(function*() {
  const directory = yield* PeopleDirectory.PeopleDirectory
  const snapshot = yield* directory.snapshot()
  if (snapshot._tag === "NotModified") return yield* Effect.dieMessage("a first read cannot be NotModified")
  let count = 0
  let sharedNumbers = 0
  yield* snapshot.people.pipe(
    Stream.tap((person) =>
      Effect.gen(function*() {
        count++
        sharedNumbers += person.contactPoints.filter((p) => !ContactPoint.isIdentifying(p) && p.shared === true).length
        if (count <= 10) {
          const phones = person.contactPoints
            .filter((p) => p.kind === "phone")
            .map((p) => `${p.label}${p.customLabel === undefined ? "" : `(${p.customLabel})`}${p.shared === true ? "*" : ""} ${p.normalized ?? p.value}${p.capabilities === undefined ? "" : ` [${p.capabilities.join(",")}]`}`)
          yield* Console.log(
            `${person.id.padEnd(26)} ${person.displayName.padEnd(22)} ext ${person.extensionNumber ?? "-"}  ${person.department ?? ""} / ${person.jobTitle ?? ""}  @${person.site?.name ?? "-"}  ${phones.join("; ")}`
          )
        }
      })
    ),
    Stream.runDrain
  )
  yield* Console.log(`... ${count} people (${sharedNumbers} shared company numbers, never used to identify anyone), version ${snapshot.version}`)
  const again = yield* directory.snapshot({ ifNoneMatch: snapshot.version })
  yield* Console.log(`re-read with If-None-Match: ${again._tag}`)
  const sales = yield* Stream.runCount(directory.search({ department: "Sales" }))
  yield* Console.log(`search department=Sales: ${sales} people`)
  return { count, sharedNumbers, again: again._tag, sales }
})

/** Lists a generated directory of `size` people from the emulator; returns what it saw. */
export const main = (size = 2500) => Effect.gen(function*() {
  // scale 0.01: the real per-group limits, with 600 ms windows instead of 60 s
  const emulator = yield* Emulator.make({ size, scale: 0.01, maxPerPage: 500 })
  yield* Console.log(`emulator at ${emulator.url}`)
  const client = RingCentralClient.layer(Emulator.clientOptions(emulator))
  const seen = yield* program.pipe(Effect.provide(RingCentralPeople.layer().pipe(Layer.provide(client))))
  const stats = yield* emulator.stats
  yield* Console.log(`emulator saw ${stats.requests} requests (${JSON.stringify(stats.byGroup)}), ${stats.rateLimited} rate limited, ${stats.tokensIssued} token issued`)
  return { ...seen, stats }
}).pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.scoped)

if (import.meta.url === `file://${process.argv[1]}`) {
  Effect.runPromise(main()).catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
}
