/**
 * Plain library use: a RingCentral company directory as a `Stream` of
 * canonical `Person`s (paging, authentication and rate limits handled by the
 * adapter), here counted per department, against the loopback emulator.
 *
 *   node --conditions=@unified-people/source --import tsx examples/src/directory-stream.ts
 */
import { NodeHttpClient } from "@effect/platform-node"
import { PeopleDirectory } from "@unified-people/core"
import { RingCentralClient, RingCentralPeople } from "@unified-people/ringcentral"
import * as Emulator from "@unified-people/testkit/RingCentralEmulator"
import { Console, Effect, Layer, Stream } from "effect"

const perDepartment = Effect.gen(function*() {
  const directory = yield* PeopleDirectory.PeopleDirectory
  return yield* directory.stream.pipe(
    Stream.filter((person) => person.department !== undefined),
    Stream.runFold(new Map<string, number>(), (counts, person) => counts.set(person.department!, (counts.get(person.department!) ?? 0) + 1))
  )
})

export const main = Effect.gen(function*() {
  const emulator = yield* Emulator.make({ size: 300, scale: 0.01, maxPerPage: 100 })
  // with a real account: RingCentralClient.layerConfig(RingCentralConfig.config) reads RINGCENTRAL_* from the environment
  const directory = RingCentralPeople.layer().pipe(Layer.provide(RingCentralClient.layer(Emulator.clientOptions(emulator))))
  const counts = yield* perDepartment.pipe(Effect.provide(directory))
  for (const [department, count] of [...counts].sort()) yield* Console.log(`${department.padEnd(12)} ${count}`)
  return counts
}).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))

if (import.meta.url === `file://${process.argv[1]}`) Effect.runPromise(main)
