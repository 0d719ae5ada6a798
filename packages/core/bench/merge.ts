/**
 * Merge quality and throughput: identity resolution and survivorship over
 * labelled records, against a naive baseline measured in the same run over the
 * same records (exact grouping by the first e-mail address as written,
 * lower-cased). Reported for each: pairwise precision, recall and F1 against
 * the truth, false pairs through a shared (company main) number, wall and CPU
 * time, records per second and the ratio to the baseline.
 *
 * `measure` takes any labelled records (the root `bench/merge.ts` runs it on
 * both generators: core's `Generator` and testkit's `NoisyCompany`); run
 * directly, this script measures `Generator.company` records:
 *
 *   node --conditions=@unified-people/source --import tsx packages/core/bench/merge.ts [--records N] [--seed S]
 *
 * When run directly, the script re-runs itself with a larger heap and a
 * single-threaded garbage collector, pinned to one CPU with `taskset -c 0` where
 * available (Linux), so the figures are for one core.
 *
 * @since 0.1.0
 */
import { spawnSync } from "node:child_process"
import * as os from "node:os"
import { fileURLToPath } from "node:url"
import * as Generator from "@unified-people/testkit/Generator"
import * as Merge from "@unified-people/core/Merge"
import type * as Person from "@unified-people/core/Person"

/**
 * Labelled records to measure on.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  /** Which generator made them. */
  readonly generator: string
  readonly records: ReadonlyArray<Person.Person>
  /** Record id → identity id. */
  readonly truth: ReadonlyMap<string, string>
  /** Numbers shared by many people (E.164): a false pair whose records both hold one is a false merge through a shared number. */
  readonly sharedNumbers: ReadonlyArray<string>
  readonly generateMillis: number
}

/**
 * Pairwise quality of a clustering.
 *
 * @since 0.1.0
 * @category models
 */
export interface Quality {
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly predictedPairs: number
  readonly truePairs: number
  /** Predicted pairs of records of two different people. */
  readonly falsePairs: number
  /** False pairs whose records both hold the same shared number (with or without an extension). */
  readonly falseSharedPairs: number
}

/**
 * One measured contender.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row extends Quality {
  readonly contender: string
  readonly records: number
  readonly people: number
  readonly wallMillis: number
  readonly cpuMillis: number
  readonly recordsPerSecond: number
}

/**
 * The outcome of {@link measure}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly generator: string
  /** The baseline first, then `Merge.merge`. */
  readonly rows: ReadonlyArray<Row>
  readonly generateMillis: number
  readonly peakRssBytes: number
  readonly heapUsedBytes: number
  readonly decisions: number
  readonly suggestions: number
  readonly skippedKeys: number
  readonly rounds: number
  /** The model's threshold (match probability) and prior (bits), estimated on the records. */
  readonly threshold: number
  readonly prior: number
  readonly machine: string
  readonly date: string
  /** Whether the process was pinned to one CPU. */
  readonly pinned: boolean
}

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly records: number
  readonly seed: number
  readonly log?: (line: string) => void
}

const time = <A>(f: () => A): { readonly value: A; readonly wallMillis: number; readonly cpuMillis: number } => {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = f()
  const wallMillis = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { value, wallMillis, cpuMillis: (used.user + used.system) / 1000 }
}

/**
 * The naive baseline: records grouped by their first e-mail address as written,
 * lower-cased; records without one stay alone.
 *
 * @since 0.1.0
 * @category baselines
 */
export const emailGrouping = (
  records: ReadonlyArray<{ readonly id: string; readonly contactPoints: ReadonlyArray<{ readonly kind: string; readonly value: string }> }>
): Array<Array<string>> => {
  const groups = new Map<string, Array<string>>()
  const alone: Array<Array<string>> = []
  for (const record of records) {
    const email = record.contactPoints.find((p) => p.kind === "email")
    if (email === undefined) {
      alone.push([record.id])
      continue
    }
    const key = email.value.trim().toLowerCase()
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [record.id])
    else group.push(record.id)
  }
  return [...groups.values(), ...alone]
}

const pairs = (n: number): number => (n * (n - 1)) / 2

/**
 * Measures clusters (lists of record ids) against the truth, counting false
 * pairs through a shared number.
 *
 * @since 0.1.0
 * @category evaluation
 */
export const quality = (input: Input, clusters: ReadonlyArray<ReadonlyArray<string>>): Quality => {
  const shared = new Set(input.sharedNumbers)
  const sharedOf = new Map<string, ReadonlyArray<string>>()
  for (const record of input.records) {
    const held: Array<string> = []
    for (const p of record.contactPoints) {
      if (p.kind !== "phone" || p.normalized === undefined) continue
      const base = p.normalized.split(";")[0]!
      if (shared.has(base) && !held.includes(base)) held.push(base)
    }
    if (held.length > 0) sharedOf.set(record.id, held)
  }
  let predictedPairs = 0
  let correctPairs = 0
  let falseSharedPairs = 0
  const sizes = new Map<string, number>()
  for (const cluster of clusters) {
    predictedPairs += pairs(cluster.length)
    const byIdentity = new Map<string, number>()
    for (const id of cluster) {
      const identity = input.truth.get(id) ?? `unlabelled:${id}`
      byIdentity.set(identity, (byIdentity.get(identity) ?? 0) + 1)
      sizes.set(identity, (sizes.get(identity) ?? 0) + 1)
    }
    for (const count of byIdentity.values()) correctPairs += pairs(count)
    if (byIdentity.size < 2) continue
    for (let x = 0; x < cluster.length; x++) {
      const sx = sharedOf.get(cluster[x]!)
      if (sx === undefined) continue
      for (let y = x + 1; y < cluster.length; y++) {
        const sy = sharedOf.get(cluster[y]!)
        if (sy === undefined || input.truth.get(cluster[x]!) === input.truth.get(cluster[y]!)) continue
        if (sx.some((s) => sy.includes(s))) falseSharedPairs++
      }
    }
  }
  let truePairs = 0
  for (const count of sizes.values()) truePairs += pairs(count)
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1, predictedPairs, truePairs, falsePairs: predictedPairs - correctPairs, falseSharedPairs }
}

/**
 * Measures the baseline and `Merge.merge` on the same records.
 *
 * @since 0.1.0
 * @category benchmarks
 */
export const measure = (input: Input, log: (line: string) => void = () => {}): Report => {
  const { records } = input
  log("baseline: naive exact e-mail grouping ...")
  const baseline = time(() => emailGrouping(records))
  log("merge: identity resolution and survivorship ...")
  const merged = time(() => Merge.merge(records, { sourcePriority: ["hr", "hris", "ringcentral", "pbx", "people-contacts", "crm"] }))
  const memory = process.memoryUsage()
  const peakRssBytes = process.resourceUsage().maxRSS * 1024
  const row = (contender: string, m: { wallMillis: number; cpuMillis: number }, clusters: ReadonlyArray<ReadonlyArray<string>>): Row => ({
    contender,
    records: records.length,
    people: clusters.length,
    wallMillis: m.wallMillis,
    cpuMillis: m.cpuMillis,
    recordsPerSecond: records.length / (m.wallMillis / 1000),
    ...quality(input, clusters)
  })
  const result = merged.value
  return {
    generator: input.generator,
    rows: [row("naive e-mail grouping", baseline, baseline.value), row("Merge.merge", merged, result.clusters.map((c) => c.members))],
    generateMillis: input.generateMillis,
    peakRssBytes,
    heapUsedBytes: memory.heapUsed,
    decisions: result.decisions.length,
    suggestions: result.suggestions.length,
    skippedKeys: result.skipped.length,
    rounds: result.rounds,
    threshold: result.model.threshold,
    prior: result.model.prior,
    machine: `${os.cpus()[0]?.model ?? "unknown CPU"} (${os.cpus().length} cores), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`,
    date: new Date().toISOString(),
    pinned: process.env["MERGE_BENCH_PINNED"] === "1"
  }
}

/**
 * `Generator.company` records: about `records` of them, with the truth and the
 * sites' main numbers.
 *
 * @since 0.1.0
 * @category generators
 */
export const generate = (options: Pick<Options, "records" | "seed">): Input => {
  const started = performance.now()
  // about 2.3 records per person with the default rates
  const company = Generator.company({ seed: options.seed, size: Math.ceil(options.records / 2.3) + 100, fast: true })
  const records = company.records.slice(0, options.records)
  return {
    generator: "Generator.company",
    records,
    truth: company.truth,
    sharedNumbers: company.sites.map((s) => s.mainNumber),
    generateMillis: performance.now() - started
  }
}

/**
 * Generates `Generator.company` records and measures both contenders.
 *
 * @since 0.1.0
 * @category benchmarks
 */
export const run = (options: Options): Report => {
  const log = options.log ?? (() => {})
  log(`generating ${options.records.toLocaleString("en-US")} records (seed ${options.seed}) ...`)
  const input = generate(options)
  log(`generated ${input.records.length.toLocaleString("en-US")} records in ${(input.generateMillis / 1000).toFixed(1)} s`)
  return measure(input, log)
}

/**
 * Formats a report as a table.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (report: Report): string => {
  const header = ["contender", "records", "people", "wall s", "CPU s", "records/s", "precision", "recall", "F1", "false via shared"]
  const lines = report.rows.map((r) => [
    r.contender,
    r.records.toLocaleString("en-US"),
    r.people.toLocaleString("en-US"),
    (r.wallMillis / 1000).toFixed(2),
    (r.cpuMillis / 1000).toFixed(2),
    Math.round(r.recordsPerSecond).toLocaleString("en-US"),
    r.precision.toFixed(4),
    r.recall.toFixed(4),
    r.f1.toFixed(4),
    String(r.falseSharedPairs)
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const fmt = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`
  const [baseline, merge] = report.rows
  return [
    `${report.generator}`,
    fmt(header),
    `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...lines.map(fmt),
    "",
    `merge / baseline: ${(merge!.wallMillis / baseline!.wallMillis).toFixed(1)}x wall, ${(merge!.cpuMillis / baseline!.cpuMillis).toFixed(1)}x CPU; ` +
      `${report.decisions.toLocaleString("en-US")} decisions, ${report.suggestions.toLocaleString("en-US")} suggestions, ${report.skippedKeys} keys skipped, ${report.rounds} rounds; ` +
      `threshold ${report.threshold}, prior ${report.prior.toFixed(2)} bits`,
    `peak RSS ${(report.peakRssBytes / 2 ** 30).toFixed(2)} GiB (records included); generation ${(report.generateMillis / 1000).toFixed(1)} s (not measured)`,
    `${report.date} on ${report.machine}${report.pinned ? ", pinned to one CPU (taskset -c 0)" : ""}`
  ].join("\n")
}

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  const value = index < 0 ? undefined : Number(process.argv[index + 1])
  return value === undefined || Number.isNaN(value) ? fallback : value
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]

if (isMain) {
  if (process.env["MERGE_BENCH_CHILD"] === undefined) {
    // one core: pinned to one CPU when possible, a single-threaded garbage collector,
    // and a heap large enough for a million records
    const node = [process.execPath, "--single-threaded-gc", "--max-old-space-size=10240", "--max-semi-space-size=64", ...process.execArgv, ...process.argv.slice(1)]
    const pinned = process.platform === "linux" && spawnSync("taskset", ["-c", "0", "true"]).status === 0
    const child = spawnSync(pinned ? "taskset" : node[0]!, pinned ? ["-c", "0", ...node] : node.slice(1), {
      stdio: "inherit",
      env: { ...process.env, MERGE_BENCH_CHILD: "1", MERGE_BENCH_PINNED: pinned ? "1" : "0" }
    })
    process.exitCode = child.status ?? 1
  } else {
    const report = run({ records: argument("records", 1_000_000), seed: argument("seed", 1), log: (line) => console.error(line) })
    console.log(format(report))
  }
}
