/**
 * For code that does not use Effect: a `ManagedRuntime` holds the clients
 * (here pointed at the loopback emulators), and plain `async` functions call
 * the library with `runtime.runPromise`. Errors reject the promise with the
 * library's secret-free `PeopleError`.
 *
 *   node --conditions=@unified-people/source --import tsx examples/src/promise-api.ts
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Connections, Emulators } from "@unified-people/cli"
import type { Person } from "@unified-people/core"
import { Cause, Chunk, Effect, Exit, Layer, ManagedRuntime, Stream } from "effect"

// the emulators live as long as the runtime; with real systems use Connections.layerConfig()
const layer = Layer.unwrapScoped(Effect.map(Emulators.start({ size: 40 }), (e) => Connections.layer(e.settings))).pipe(
  Layer.provide(NodeHttpClient.layerUndici)
)

export const main = async () => {
  const runtime = ManagedRuntime.make(layer)
  // resolves with the value, or rejects with the library's own error (not a wrapper)
  const run = <A, E>(effect: Effect.Effect<A, E, Connections.Connections>): Promise<A> =>
    runtime.runPromiseExit(effect).then((exit) => Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause)))
  try {
    const listPeople = (): Promise<ReadonlyArray<Person.Person>> =>
      run(Effect.flatMap(Connections.Connections, (c) => Stream.runCollect(c.source.stream)).pipe(Effect.map(Chunk.toReadonlyArray)))
    const findByEmail = (email: string): Promise<ReadonlyArray<Person.Person>> =>
      run(Effect.flatMap(Connections.Connections, (c) => Stream.runCollect(c.target.search({ email }))).pipe(Effect.map(Chunk.toReadonlyArray)))

    const people = await listPeople()
    const email = people.flatMap((p) => p.contactPoints).find((p) => p.kind === "email")!.value
    const found = await findByEmail(email)
    console.log(`${people.length} people in the directory; ${email} in the People system: ${found.map((p) => p.displayName).join(", ")}`)
    const missing = await run(Effect.flatMap(Connections.Connections, (c) => c.target.get("999999"))).catch((error: Error) => error)
    console.log(`get 999999: ${missing instanceof Error ? missing.message : "found"}`)
    return { people, email, found, missing }
  } finally {
    await runtime.dispose()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main()
