/**
 * The `unified-people` command line:
 *
 * - `sync [--dry-run] [--state FILE] [--full]`: runs the RingCentral → People
 *   sync job with its state in an embedded SQLite file, showing progress and
 *   printing a summary;
 * - `plan [--state FILE] [--full]`: prints what a sync would do (a dry run);
 * - `merge [--source NAME]... [--file FILE]...`: reads several sources (the
 *   RingCentral directory, the People system, JSON files of `Person`s), merges
 *   them into one person per real person and prints them as JSON.
 *
 * The connections are configured from the environment (`Config`), see
 * `Connections`; flags fall back to `UNIFIED_PEOPLE_STATE`,
 * `UNIFIED_PEOPLE_CONCURRENCY` and `UNIFIED_PEOPLE_DEFAULT_REGION`. Errors are
 * printed as their secret-free message, with a non-zero exit code.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Path from "@effect/platform/Path"
import type * as CliApp from "@effect/cli/CliApp"
import * as Merge from "@unified-people/core/Merge"
import * as Normalize from "@unified-people/core/Normalize"
import * as Person from "@unified-people/core/Person"
import * as Sync from "@unified-people/core/Sync"
import * as Text from "@unified-people/core/Text"
import * as SyncState from "@unified-people/core/SyncState"
import * as ServeCommand from "@unified-people/server/Command"
import * as SqliteState from "./SqliteState.js"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as Os from "node:os"
import * as Connections from "./Connections.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"

/**
 * The default state file.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultStateFile = ".unified-people/state.sqlite"

/**
 * Exit codes:
 *
 * | code | meaning |
 * |---|---|
 * | `0` | success: the run is complete |
 * | `1` | failure: an error stopped the command (nothing, or only what the summary lists, was written) |
 * | `2` | invalid command line |
 * | `3` | partial success: the run went to its end, but some people failed, removals were held back for lack of proof, or a read was in doubt; the next run continues |
 * | `4` | refused by the delete guard: nothing was written (see `--max-deletes`, `--allow-mass-delete`) |
 * | `5` | the state is in use by another run (its lease): nothing was done |
 * | `6` | stopped: the run stopped writing before its end (credentials refused, too many failures in a row) |
 * | `130` / `143` | interrupted by SIGINT / SIGTERM: the writes in flight were finished and recorded |
 *
 * @since 0.1.0
 * @category constants
 */
export const exitCodes = {
  ok: 0,
  error: 1,
  usage: 2,
  partial: 3,
  refused: 4,
  busy: 5,
  stopped: 6,
  sigint: 130,
  sigterm: 143
} as const

/**
 * A command failed; its message was printed.
 *
 * @since 0.1.0
 * @category errors
 */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{ readonly exitCode: number }> {}

/**
 * The secret-free message of any error a command meets.
 *
 * @since 0.1.0
 * @category errors
 */
export const messageOf = (error: unknown): string => {
  if (ConfigError.isConfigError(error)) return describeConfigError(error)
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message
  }
  return String(error)
}

/** The environment variable a configuration path is read from. */
const variableOf = (path: ReadonlyArray<string>) => path.join("_")

/** What a configuration error asks for: the variables to set, alternatives joined by "or". */
const requirementsOf = (error: ConfigError.ConfigError): { readonly missing: Array<string>; readonly invalid: Array<string> } => {
  switch (error._op) {
    case "MissingData":
      return { missing: [variableOf(error.path)], invalid: [] }
    case "InvalidData":
      // the message of a redacted value is itself redacted: name the variable and the expectation only
      return { missing: [], invalid: [`${variableOf(error.path)}${/redacted/i.test(error.message) ? "" : ` (${error.message})`}`] }
    case "SourceUnavailable":
    case "Unsupported":
      return { missing: [], invalid: [`${variableOf(error.path)} (${error.message})`] }
    case "And": {
      const left = requirementsOf(error.left)
      const right = requirementsOf(error.right)
      return { missing: [...left.missing, ...right.missing], invalid: [...left.invalid, ...right.invalid] }
    }
    case "Or": {
      const left = requirementsOf(error.left)
      const right = requirementsOf(error.right)
      if (left.invalid.length > 0 || right.invalid.length > 0) {
        return { missing: [], invalid: [...left.invalid, ...right.invalid] }
      }
      return { missing: [`${left.missing.join(" + ")} (or ${right.missing.join(" + ")})`], invalid: [] }
    }
  }
}

/**
 * A configuration error as the variables to set or fix, and nothing else:
 * `missing environment variables: RINGCENTRAL_CLIENT_ID, PEOPLE_CONTACTS_TOKEN`.
 *
 * @since 0.1.0
 * @category errors
 */
export const describeConfigError = (error: ConfigError.ConfigError): string => {
  const { invalid, missing } = requirementsOf(error)
  return [
    ...(missing.length === 0 ? [] : [`missing environment variable${missing.length === 1 && !missing[0]!.includes(" + ") ? "" : "s"}: ${missing.join(", ")}`]),
    ...(invalid.length === 0 ? [] : [`invalid environment variable${invalid.length === 1 ? "" : "s"}: ${invalid.join(", ")}`])
  ].join("; ")
}

const fail = (error: unknown, exitCode: number = exitCodes.error) =>
  Effect.zipRight(Output.errorLine(`Error: ${messageOf(error)}`), Effect.fail(new CommandFailed({ exitCode })))

// ---------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------

const state = Options.text("state").pipe(
  Options.withDescription(`The SQLite file keeping the sync state (default ${defaultStateFile}, or UNIFIED_PEOPLE_STATE).`),
  Options.withFallbackConfig(Config.string("UNIFIED_PEOPLE_STATE").pipe(Config.withDefault(defaultStateFile)))
)

const full = Options.boolean("full").pipe(
  Options.withDescription(
    "Ignore the stored directory version and read every matched person's contacts: compares everything and repairs drift."
  )
)

/** A rule a flag and its fallback variable both follow. */
interface Rule<A> {
  readonly message: string
  readonly validation: (a: A) => boolean
}

/** Refuses a flag's value that breaks `rule` (a usage error), and the same of its fallback variable. */
const checked = <A>(
  options: Options.Options<A>,
  flag: string,
  rule: Rule<A>,
  variable: Config.Config<A>,
  name: string,
  fallback: A
): Options.Options<A> =>
  options.pipe(
    Options.filterMap((a) => (rule.validation(a) ? Option.some(a) : Option.none()), `--${flag} ${rule.message}`),
    // validated under its name, so that the error says which variable
    Options.withFallbackConfig(variable.pipe(Config.validate(rule), Config.nested(name), Config.withDefault(fallback)))
  )

const concurrency = checked(
  Options.integer("concurrency").pipe(
    Options.withDescription("People planned and applied at once, 1 or more (default 4, or UNIFIED_PEOPLE_CONCURRENCY).")
  ),
  "concurrency",
  { message: "must be at least 1", validation: (n) => n >= 1 },
  Config.integer(),
  "UNIFIED_PEOPLE_CONCURRENCY",
  4
)

const region = checked(
  Options.text("region").pipe(
    Options.withDescription("Region of phone numbers without a country code (default US, or UNIFIED_PEOPLE_DEFAULT_REGION).")
  ),
  "region",
  { message: Normalize.phoneRegionExpectation, validation: Normalize.isPhoneRegion },
  Config.string(),
  "UNIFIED_PEOPLE_DEFAULT_REGION",
  "US"
)

const quiet = Options.boolean("quiet").pipe(Options.withAlias("q"), Options.withDescription("No progress display."))

const dryRun = Options.boolean("dry-run").pipe(Options.withDescription("Plan and print, write nothing."))

const maxDeletes = Options.integer("max-deletes").pipe(
  Options.withDescription(
    "The most contacts a run may delete (and linked people it may unmatch) before it is refused (default: 10% of what the job owns, at least 10)."
  ),
  Options.optional
)

const maxDeleteRatio = Options.float("max-delete-ratio").pipe(
  Options.withDescription("The share of the contacts the job owns that a run may delete (default 0.1)."),
  Options.optional
)

const bulk = Options.choice("bulk", ["auto", "always", "never"] as const).pipe(
  Options.withDescription(
    "Use the People system's batch export and import: auto (default: read by export, write by import when many people change), always, never."
  ),
  Options.withFallbackConfig(Config.literal("auto", "always", "never")("UNIFIED_PEOPLE_BULK").pipe(Config.withDefault("auto" as const)))
)

const allowMassDelete = Options.boolean("allow-mass-delete").pipe(
  Options.withDescription(
    "Lift the delete guard and the plausibility check of full reads, for a directory that really lost most of its people."
  )
)

// ---------------------------------------------------------------------------
// sync and plan
// ---------------------------------------------------------------------------

/**
 * The settings of a sync or plan run.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions {
  readonly state: string
  readonly full: boolean
  readonly concurrency: number
  readonly region: string
  readonly quiet: boolean
  readonly dryRun: boolean
  readonly maxDeletes?: number | undefined
  readonly maxDeleteRatio?: number | undefined
  readonly allowMassDelete?: boolean | undefined
  /** Whether the People system's batch export and import are used (default `auto`). */
  readonly bulk?: "auto" | "always" | "never" | undefined
  /** The owner named in the state's lease (default: host and process id). */
  readonly owner?: string | undefined
}

/**
 * The owner of the state's lease this process takes: host name and process id.
 *
 * @since 0.1.0
 * @category constants
 */
export const leaseOwner = (): string => `${Os.hostname()}:${process.pid}`

/**
 * The exit code of a finished run.
 *
 * @since 0.1.0
 * @category running
 */
export const exitCodeOf = (summary: Sync.Summary): number =>
  summary.status === "complete" ? exitCodes.ok : summary.status === "stopped" ? exitCodes.stopped : exitCodes.partial

/**
 * The SQLite state layer of a state file. Its directory is created, unless
 * `readOnly`: then nothing is created, and a file that does not exist yet is
 * an empty state in memory (a plan before the first sync). A path that exists
 * but is not a regular file (a directory, a device, a pipe) is refused at once.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerState = (
  file: string,
  options: { readonly readOnly?: boolean } = {}
): Layer.Layer<SyncState.SyncState, SyncState.SyncStateError | ConfigError.ConfigError, FileSystem.FileSystem | Path.Path> =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      if (file === ":memory:") return SqliteState.layer({ filename: file })
      const refuse = (reason: string) => new SyncState.SyncStateError({ method: "open", reason: `the state file ${file} ${reason}` })
      const info = yield* Effect.option(fs.stat(file))
      if (Option.isSome(info) && info.value.type !== "File") {
        return yield* refuse(`is not a regular file (${info.value.type.toLowerCase()})`)
      }
      if (Option.isNone(info) && options.readOnly === true) return SyncState.layerMemory
      if (Option.isNone(info)) {
        yield* fs.makeDirectory(path.dirname(path.resolve(file)), { recursive: true }).pipe(
          Effect.mapError((e) => refuse(`cannot be created: ${e.message}`))
        )
      }
      return SqliteState.layer({ filename: file })
    })
  )

/** With `full`, the job sees no stored directory version (the new one is still stored). */
const ignoringVersion = Layer.effect(
  SyncState.SyncState,
  Effect.map(SyncState.SyncState, (service): SyncState.Service => ({ ...service, version: Effect.succeedNone }))
)

/**
 * Plans, and unless `dryRun` applies, one full run with progress; prints the
 * plan (dry runs) or a summary.
 *
 * @since 0.1.0
 * @category commands
 */
export const runSync = (
  options: RunOptions,
  mode: "sync" | "plan"
): Effect.Effect<Sync.Report, Sync.SyncError, Connections.Connections | SyncState.SyncState | Output.Output> =>
  Effect.gen(function*() {
    const connections = yield* Connections.Connections
    const job = yield* Sync.make({
      source: connections.source,
      target: connections.target,
      // the batch Import and Export unless told never to use them
      contacts: options.bulk === "never" ? connections.contacts : connections.bulkContacts,
      stats: connections.stats,
      dryRun: options.dryRun || mode === "plan",
      concurrency: options.concurrency,
      defaultRegion: options.region,
      verify: options.full,
      maxDeletes: options.maxDeletes,
      maxDeleteRatio: options.maxDeleteRatio,
      allowMassDelete: options.allowMassDelete,
      bulk: options.bulk,
      lease: { owner: options.owner ?? leaseOwner() }
    })
    const report = yield* Effect.scoped(
      Effect.zipRight(options.quiet ? Effect.void : Progress.track(job.progress), job.run)
    ).pipe(Effect.onInterrupt(() => Effect.flatMap(SubscriptionRef.get(job.progress), (p) => Output.errorLine(interrupted(p)))))
    if (mode === "plan" || options.dryRun) {
      yield* Output.line(Sync.formatPlan(report.plan))
    } else {
      const c = Sync.counts(report.plan)
      yield* Output.line(
        report.plan.unchanged
          ? "Directory unchanged since the last run: nothing to do."
          : `Planned: ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.adopt} to adopt, ${c.skip} skipped.`
      )
      for (const p of report.plan.people) {
        if (p.held !== undefined) yield* Output.line(`  ! held ${p.sourceId}: ${p.held}`)
      }
      for (const failure of report.summary.failures) yield* Output.line(`  ${Sync.formatFailure(failure)}`)
    }
    for (const issue of report.summary.issues) yield* Output.line(`! ${issue}`)
    yield* Output.line(Sync.formatSummary(report.summary))
    return report
  }).pipe(Effect.provide(options.full ? ignoringVersion : Layer.empty))

/** Where an interrupted run stopped. */
const interrupted = (p: Sync.Progress): string =>
  `Interrupted during ${p.phase}: ${p.peopleApplied} of ${p.peoplePlanned} people applied, ${p.writes} writes made ` +
  `(each recorded in the state), ${p.failures} failures. Nothing else was written; the next run continues from here.`

/** The exit code of an error that stopped a run. */
const exitCodeOfError = (error: unknown): number =>
  Predicate.isTagged(error, "MassDeleteRefused")
    ? exitCodes.refused
    : Predicate.isTagged(error, "StateBusy")
    ? exitCodes.busy
    : exitCodes.error

/** Prints what the delete guard refused, and how to allow it. */
const printRefusal = (error: Sync.MassDeleteRefused) =>
  Effect.gen(function*() {
    yield* Output.line(`The delete guard stopped this run before it wrote anything. It would delete:`)
    for (const line of error.deletions) yield* Output.line(`  ${line}`)
  })

const syncHandler = (mode: "sync" | "plan") => (options: RunOptions) =>
  runSync(options, mode).pipe(
    // the configuration is read (and refused) before the state file is created
    // a plan or a dry run creates no file
    Effect.provide(layerState(options.state, { readOnly: mode === "plan" || options.dryRun })),
    Effect.provide(Connections.layerConfig()),
    Effect.tapError((error) => error._tag === "MassDeleteRefused" ? printRefusal(error) : Effect.void),
    Effect.catchAll((error) => fail(error, exitCodeOfError(error))),
    Effect.flatMap((report) => {
      const code = mode === "plan" || options.dryRun ? exitCodes.ok : exitCodeOf(report.summary)
      return code === exitCodes.ok ? Effect.void : Effect.fail(new CommandFailed({ exitCode: code }))
    })
  )

const guardOptions = { maxDeletes, maxDeleteRatio, allowMassDelete, bulk }

const fromGuard = (o: {
  readonly maxDeletes: Option.Option<number>
  readonly maxDeleteRatio: Option.Option<number>
  readonly allowMassDelete: boolean
  readonly bulk: "auto" | "always" | "never"
}) => ({
  maxDeletes: Option.getOrUndefined(o.maxDeletes),
  maxDeleteRatio: Option.getOrUndefined(o.maxDeleteRatio),
  allowMassDelete: o.allowMassDelete,
  bulk: o.bulk
})

/**
 * `sync`.
 *
 * @since 0.1.0
 * @category commands
 */
export const sync = Command.make(
  "sync",
  { dryRun, state, full, concurrency, region, quiet, ...guardOptions },
  (o) => syncHandler("sync")({ ...o, ...fromGuard(o) })
).pipe(
  Command.withDescription("Sync the RingCentral company directory into the People system's contacts.")
)

/**
 * `plan`.
 *
 * @since 0.1.0
 * @category commands
 */
export const plan = Command.make(
  "plan",
  { state, full, concurrency, region, quiet, ...guardOptions },
  (o) => syncHandler("plan")({ ...o, ...fromGuard(o), dryRun: true })
).pipe(
  Command.withDescription("Print what `sync` would do (a dry run: no writes, no state changes).")
)

// ---------------------------------------------------------------------------
// merge
// ---------------------------------------------------------------------------

const systems = ["ringcentral", "people-contacts"] as const

/**
 * Reads a JSON file of `Person`s (an array of encoded people, as `merge` prints).
 *
 * @since 0.1.0
 * @category merge
 */
export const readPeopleFile = (file: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(file).pipe(Effect.mapError((e) => new MergeInputError({ file, reason: e.message })))
    return yield* Schema.decodeUnknown(Schema.parseJson(Schema.Array(Person.Person)))(text).pipe(
      Effect.mapError((e) => new MergeInputError({ file, reason: e.message }))
    )
  })

/**
 * A file given to `merge` cannot be read as people.
 *
 * @since 0.1.0
 * @category errors
 */
export class MergeInputError extends Schema.TaggedError<MergeInputError>()("MergeInputError", {
  file: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot read people from ${this.file}: ${this.reason}`
  }
}

const suggestionsShown = 20

/**
 * One merge suggestion in a line: the probability, the two people, why it was
 * not merged, the evidence and the largest contributions.
 *
 * @since 0.1.0
 * @category merge
 */
export const formatSuggestion = (s: Merge.Suggestion): string => {
  const strongest = [...s.contributions].sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight)).slice(0, 3)
    .map((c) => `${c.comparison}:${c.level} ${c.weight >= 0 ? "+" : ""}${c.weight.toFixed(1)}`)
  return `  ? ${s.probability.toFixed(2)} ${s.a} ~ ${s.b}: ${s.why}; ${s.reasons.join(", ")}${strongest.length === 0 ? "" : ` (${strongest.join(", ")})`}`
}

/**
 * The options of a merge.
 *
 * @since 0.1.0
 * @category models
 */
export interface MergeOptions {
  /** No progress lines on stderr. */
  readonly quiet?: boolean | undefined
  readonly sources: ReadonlyArray<(typeof systems)[number]>
  readonly files: ReadonlyArray<string>
  /** Source systems, best first (default: RingCentral, the People system, then the files' systems). */
  readonly priority: ReadonlyArray<string>
}

/**
 * Reads the sources and merges them.
 *
 * @since 0.1.0
 * @category commands
 */
export const runMerge = (options: MergeOptions) =>
  Effect.gen(function*() {
    const people: Array<Person.Person> = []
    const counts: Array<string> = []
    const step = (text: string) => options.quiet === true ? Effect.void : Output.errorLine(text)
    if (options.sources.length > 0) {
      const connections = yield* Effect.provide(Connections.Connections, Connections.layerConfig())
      for (const system of options.sources) {
        const directory = system === "ringcentral" ? connections.source : connections.target
        yield* step(`Reading ${system}…`)
        let n = 0
        const read = Chunk.toReadonlyArray(
          yield* directory.stream.pipe(
            Stream.tap(() => ++n % 1000 === 0 ? step(`  ${n} people read from ${system}`) : Effect.void),
            Stream.runCollect
          )
        )
        counts.push(`${read.length} from ${system}`)
        people.push(...read)
      }
    }
    for (const file of options.files) {
      const read = yield* readPeopleFile(file)
      counts.push(`${read.length} from ${file}`)
      people.push(...read)
    }
    const seen = new Set<string>(options.priority)
    const priority = [...options.priority]
    for (const system of [...systems, ...people.flatMap((p) => p.provenance.map((x) => x.system))]) {
      if (!seen.has(system)) {
        seen.add(system)
        priority.push(system)
      }
    }
    yield* step(`Merging ${people.length} records…`)
    const result = Merge.merge(people, { sourcePriority: priority })
    const multi = result.clusters.filter((c) => c.members.length > 1).length
    yield* Output.line(JSON.stringify(Schema.encodeSync(Schema.Array(Person.Person))(result.people), null, 2))
    yield* Output.errorLine(
      `Merged ${people.length} records (${counts.join(", ") || "none"}) into ${result.people.length} people ` +
        `(${multi} from more than one record); source priority: ${priority.join(" > ")}`
    )
    if (result.suggestions.length > 0) {
      yield* Output.errorLine(`${result.suggestions.length} suggestion(s) to review (not merged):`)
      for (const s of result.suggestions.slice(0, suggestionsShown)) yield* Output.errorLine(Text.printable(formatSuggestion(s)))
      if (result.suggestions.length > suggestionsShown) {
        yield* Output.errorLine(`  … and ${result.suggestions.length - suggestionsShown} more`)
      }
    }
    return result
  })

/**
 * `merge`.
 *
 * @since 0.1.0
 * @category commands
 */
export const merge = Command.make(
  "merge",
  {
    sources: Options.choice("source", systems).pipe(
      Options.repeated,
      Options.withDescription("A system to read (repeatable; default both when no --file is given).")
    ),
    files: Options.text("file").pipe(Options.repeated, Options.withDescription("A JSON file of people (repeatable).")),
    priority: Options.text("priority").pipe(
      Options.optional,
      Options.withDescription("Source systems, best first, comma separated (e.g. people-contacts,ringcentral).")
    ),
    quiet
  },
  (o) =>
    runMerge({
      quiet: o.quiet,
      sources: o.sources.length === 0 && o.files.length === 0 ? systems : o.sources,
      files: o.files,
      priority: Option.match(o.priority, {
        onNone: () => [],
        onSome: (p) => p.split(",").map((s) => s.trim()).filter((s) => s !== "")
      })
    }).pipe(Effect.asVoid, Effect.catchAll((error) => fail(error)))
).pipe(Command.withDescription("Read several sources, merge them into one person per real person, print them as JSON."))

// ---------------------------------------------------------------------------
// link
// ---------------------------------------------------------------------------

/**
 * Confirms a match: stores the cross-reference `sourceId → personId` in the
 * state (under its lease), so the next sync matches the two by it. This is how
 * a suggestion of `plan` is acted on.
 *
 * @since 0.1.0
 * @category commands
 */
export const runLink = (sourceId: string, personId: string, owner?: string) =>
  Effect.scoped(
    Effect.gen(function*() {
      yield* SyncState.lease({ owner: owner ?? leaseOwner() })
      const state = yield* SyncState.SyncState
      const previous = yield* state.xref(sourceId)
      yield* state.setXref(sourceId, personId)
      yield* state.setFingerprint(sourceId, undefined)
      // the next run reads the directory again instead of answering "unchanged"
      yield* state.setVersion(undefined)
      yield* Output.line(
        `Linked directory person ${sourceId} to person ${personId}` +
          (Option.isSome(previous) && previous.value !== personId ? ` (was ${previous.value})` : "") +
          ": the next sync matches them and writes their contacts."
      )
    })
  )

/**
 * `link`.
 *
 * @since 0.1.0
 * @category commands
 */
export const link = Command.make(
  "link",
  { state, source: Args.text({ name: "source-id" }), target: Args.text({ name: "person-id" }) },
  (o) =>
    runLink(o.source, o.target).pipe(
      Effect.provide(layerState(o.state)),
      Effect.catchAll((error) => fail(error, exitCodeOfError(error)))
    )
).pipe(Command.withDescription("Confirm a suggested match: link a directory person to a person of the People system."))

// ---------------------------------------------------------------------------
// serve (the service lives in @unified-people/server; this gives it the connections and the SQLite state)
// ---------------------------------------------------------------------------

/**
 * `serve`: the `@unified-people/server` command over this package's `Connections` and `SqliteState`.
 *
 * @since 0.1.0
 * @category commands
 */
export const serve = ServeCommand.make({
  connect: (provider) => Effect.withConfigProvider(Effect.flatMap(Connections.config, Connections.make), provider),
  stateFile: (filename) => SqliteState.layer({ filename })
})

// ---------------------------------------------------------------------------
// the application
// ---------------------------------------------------------------------------

/**
 * The root command.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("unified-people").pipe(
  Command.withDescription("Unified people: merge people across systems and sync the RingCentral directory into the People system."),
  Command.withSubcommands([sync, plan, merge, link, serve])
)

const cli = Command.run(command, { name: "unified-people", version: "0.1.0" })

const subcommands: ReadonlySet<string> = new Set(["sync", "plan", "merge", "link", "serve"])

/**
 * The command line with the options given before the subcommand moved after
 * it (`unified-people --state s.db sync -q` is `unified-people sync --state s.db -q`):
 * options are accepted in any order.
 *
 * @since 0.1.0
 * @category running
 */
export const inAnyOrder = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const at = args.findIndex((arg, i) => i >= 2 && subcommands.has(arg))
  if (at <= 2) return args
  return [...args.slice(0, 2), args[at]!, ...args.slice(2, at), ...args.slice(at + 1)]
}

/**
 * Runs the command line (`args` as in `process.argv`: the first two are the
 * runtime and the script) and returns the exit code; errors have been printed.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  args: ReadonlyArray<string>
): Effect.Effect<number, never, CliApp.CliApp.Environment | HttpClient.HttpClient | Output.Output> =>
  cli(inAnyOrder(args)).pipe(
    Effect.as(exitCodes.ok),
    Effect.catchAll((error) =>
      error instanceof CommandFailed
        ? Effect.succeed(error.exitCode)
        : ValidationError.isValidationError(error)
        ? Effect.succeed(exitCodes.usage)
        : Effect.as(Output.errorLine(`Error: ${messageOf(error)}`), exitCodes.error)
    ),
    // a defect (a bug, or a setting the code refuses) is said too, never an exit without a word
    Effect.catchAllDefect((defect) => Effect.as(Output.errorLine(`Error: unexpected failure: ${messageOf(defect)}`), exitCodes.error))
  )
