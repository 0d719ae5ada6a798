/**
 * Merge throughput: identity resolution and survivorship over generated records
 * (1,000,000 by default) on one core, against a naive baseline measured in the
 * same run over the same records (exact grouping by the first e-mail address as
 * written, lower-cased).
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
import * as Generator from "../src/Generator.js"
import * as Merge from "../src/Merge.js"

/**
 * One measured contender.
 *
 * @since 0.1.0
 * @category models
 */
export interface Row {
  readonly contender: string
  readonly records: number
  readonly people: number
  readonly wallMillis: number
  readonly cpuMillis: number
  readonly recordsPerSecond: number
  readonly precision: number
  readonly recall: number
}

/**
 * The outcome of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly rows: ReadonlyArray<Row>
  readonly generateMillis: number
  readonly peakRssBytes: number
  readonly heapUsedBytes: number
  readonly decisions: number
  readonly skippedKeys: number
  readonly rounds: number
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

const measure = <A>(f: () => A): { readonly value: A; readonly wallMillis: number; readonly cpuMillis: number } => {
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

/**
 * Generates the records and measures both contenders.
 *
 * @since 0.1.0
 * @category benchmarks
 */
export const run = (options: Options): Report => {
  const log = options.log ?? (() => {})
  log(`generating ${options.records.toLocaleString("en-US")} records (seed ${options.seed}) ...`)
  // about 2.3 records per person with the default rates
  const generated = measure(() => Generator.company({ seed: options.seed, size: Math.ceil(options.records / 2.3) + 100, fast: true }))
  const records = generated.value.records.slice(0, options.records)
  const truth = generated.value.truth
  log(`generated ${records.length.toLocaleString("en-US")} records in ${(generated.wallMillis / 1000).toFixed(1)} s`)

  log("baseline: naive exact e-mail grouping ...")
  const baseline = measure(() => emailGrouping(records))
  const baselineQuality = Generator.evaluate(baseline.value, truth)

  log("merge: identity resolution and survivorship ...")
  const merged = measure(() => Merge.merge(records, { sourcePriority: ["hr", "ringcentral", "people-contacts"] }))
  const mergedQuality = Generator.evaluate(merged.value.clusters.map((c) => c.members), truth)
  const memory = process.memoryUsage()

  const row = (contender: string, m: { wallMillis: number; cpuMillis: number }, people: number, q: Generator.Quality): Row => ({
    contender,
    records: records.length,
    people,
    wallMillis: m.wallMillis,
    cpuMillis: m.cpuMillis,
    recordsPerSecond: records.length / (m.wallMillis / 1000),
    precision: q.precision,
    recall: q.recall
  })
  return {
    rows: [
      row("naive e-mail grouping", baseline, baseline.value.length, baselineQuality),
      row("Merge.merge", merged, merged.value.people.length, mergedQuality)
    ],
    generateMillis: generated.wallMillis,
    peakRssBytes: resourcePeak(),
    heapUsedBytes: memory.heapUsed,
    decisions: merged.value.decisions.length,
    skippedKeys: merged.value.skipped.length,
    rounds: merged.value.rounds,
    machine: `${os.cpus()[0]?.model ?? "unknown CPU"} (${os.cpus().length} cores), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`,
    date: new Date().toISOString(),
    pinned: process.env["MERGE_BENCH_PINNED"] === "1"
  }
}

const resourcePeak = (): number => process.resourceUsage().maxRSS * 1024

/**
 * Formats a report as a table.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (report: Report): string => {
  const header = ["contender", "records", "people", "wall s", "CPU s", "records/s", "precision", "recall"]
  const lines = report.rows.map((r) => [
    r.contender,
    r.records.toLocaleString("en-US"),
    r.people.toLocaleString("en-US"),
    (r.wallMillis / 1000).toFixed(2),
    (r.cpuMillis / 1000).toFixed(2),
    Math.round(r.recordsPerSecond).toLocaleString("en-US"),
    r.precision.toFixed(4),
    r.recall.toFixed(4)
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const fmt = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`
  const [baseline, merge] = report.rows
  return [
    fmt(header),
    `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...lines.map(fmt),
    "",
    `merge / baseline: ${(merge!.wallMillis / baseline!.wallMillis).toFixed(1)}x wall, ${(merge!.cpuMillis / baseline!.cpuMillis).toFixed(1)}x CPU; ` +
      `${report.decisions.toLocaleString("en-US")} pair decisions, ${report.skippedKeys} keys skipped, ${report.rounds} rounds`,
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
    const node = [process.execPath, "--single-threaded-gc", "--max-old-space-size=8192", "--max-semi-space-size=64", ...process.execArgv, ...process.argv.slice(1)]
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
