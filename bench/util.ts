/**
 * What the benchmarks share: command-line flags, child processes (one per
 * contender, for a clean peak memory), memory sampling, and the result tables.
 *
 * @since 0.1.0
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"

/**
 * The repository root.
 *
 * @since 0.1.0
 * @category constants
 */
export const root = ((): string => {
  const up = Path.resolve(Path.dirname(Url.fileURLToPath(import.meta.url)), "..")
  // compiled by bench/build.mjs into <root>/.bench/bench/
  return Path.basename(up) === ".bench" ? Path.dirname(up) : up
})()

/**
 * Whether the benchmarks run as built code (compiled by `bench/build.mjs`,
 * the packages read from their `dist`, no TypeScript loader) or from source
 * under `tsx` with the `@unified-people/source` condition.
 *
 * @since 0.1.0
 * @category constants
 */
export const built: boolean = import.meta.url.endsWith(".js")

/**
 * How a benchmark script (its name under `bench/`, e.g. `merge.ts`) is started
 * in a child Node process: the compiled script with plain `node` when
 * {@link built}, else the source under `tsx`.
 *
 * @since 0.1.0
 * @category children
 */
export const scriptArgs = (script: string, nodeArgs: ReadonlyArray<string> = []): Array<string> =>
  built
    ? [...nodeArgs, Path.join(root, ".bench", "bench", script.replace(/\.ts$/, ".js"))]
    : ["--conditions=@unified-people/source", "--import", "tsx", ...nodeArgs, Path.join(root, "bench", script)]

/**
 * What the code under measure is, for the notes of a table.
 *
 * @since 0.1.0
 * @category constants
 */
export const runtimeNote: string = built
  ? "Built code: every process runs the packages' compiled dist/ and the compiled benchmark with plain node (no TypeScript loader)."
  : "Source: every process runs the TypeScript sources under tsx (the loader adds memory and CPU; npm run bench measures built code)."

/**
 * A section of the result table: one benchmark, its columns and rows, notes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Section {
  readonly title: string
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string>>
  readonly notes: ReadonlyArray<string>
}

/**
 * The value of `--name value` or `--name=value`.
 *
 * @since 0.1.0
 * @category flags
 */
export const flag = (args: ReadonlyArray<string>, name: string): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === `--${name}`) return args[i + 1]
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3)
  }
  return undefined
}

/**
 * A numeric flag with a default.
 *
 * @since 0.1.0
 * @category flags
 */
export const numberFlag = (args: ReadonlyArray<string>, name: string, fallback: number): number => {
  const raw = flag(args, name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${raw}`)
  return n
}

/**
 * Whether a boolean flag is present.
 *
 * @since 0.1.0
 * @category flags
 */
export const has = (args: ReadonlyArray<string>, name: string): boolean => args.includes(`--${name}`)

/**
 * Peak memory of the current process, sampled every few milliseconds.
 *
 * @since 0.1.0
 * @category memory
 */
export interface MemorySampler {
  /** Stops sampling; returns the peaks in bytes (RSS also from the kernel's max RSS). */
  readonly stop: () => {
    readonly rss: number
    readonly heapUsed: number
    /** The V8 heap's committed size. */
    readonly heapTotal: number
    /** Memory outside the V8 heap that V8 knows of (ArrayBuffers, external strings). */
    readonly external: number
  }
}

/**
 * Starts sampling `process.memoryUsage()`.
 *
 * @since 0.1.0
 * @category memory
 */
export const sampleMemory = (everyMillis = 10): MemorySampler => {
  let rss = 0
  let heapUsed = 0
  let heapTotal = 0
  let external = 0
  const sample = () => {
    const m = process.memoryUsage()
    if (m.rss > rss) rss = m.rss
    if (m.heapUsed > heapUsed) heapUsed = m.heapUsed
    if (m.heapTotal > heapTotal) heapTotal = m.heapTotal
    if (m.external > external) external = m.external
  }
  sample()
  const timer = setInterval(sample, everyMillis)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return { rss: Math.max(rss, process.resourceUsage().maxRSS * 1024), heapUsed, heapTotal, external }
    }
  }
}

/**
 * Prefix of the line a child prints its JSON result on.
 *
 * @since 0.1.0
 * @category children
 */
export const resultPrefix = "BENCH-RESULT "

/**
 * Prints a child's result for its parent.
 *
 * @since 0.1.0
 * @category children
 */
export const report = (result: unknown): void => {
  process.stdout.write(`${resultPrefix}${JSON.stringify(result)}\n`)
}

/**
 * Node flags for every child from `BENCH_CHILD_NODE_FLAGS` (space-separated,
 * e.g. `--trace-gc`, which `NODE_OPTIONS` refuses); a child's whole output is
 * appended to the file `BENCH_CHILD_LOG` names. For profiling runs by hand.
 */
const extraNodeFlags = (): ReadonlyArray<string> =>
  (process.env.BENCH_CHILD_NODE_FLAGS ?? "").split(" ").filter((flag) => flag !== "")

/**
 * Runs a bench script in a child Node process (built code or source, as this
 * process runs: {@link scriptArgs}), asynchronously so that emulators in this process keep
 * serving, and returns the JSON it reported.
 *
 * @since 0.1.0
 * @category children
 */
export const runChild = <A>(
  script: string,
  args: ReadonlyArray<string>,
  nodeArgs: ReadonlyArray<string> = [],
  env: Readonly<Record<string, string>> = {}
): Promise<A> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.spawn(
      process.execPath,
      [...extraNodeFlags(), ...scriptArgs(script, nodeArgs), ...args],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } }
    )
    let out = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => {
      out += chunk
    })
    child.on("error", reject)
    child.on("close", (code) => {
      if (process.env.BENCH_CHILD_LOG) Fs.appendFileSync(process.env.BENCH_CHILD_LOG, out)
      const line = out.split("\n").find((l) => l.startsWith(resultPrefix))
      if (code !== 0 || line === undefined) {
        reject(new Error(`bench/${script} ${args.join(" ")} exited with ${code}:\n${out.slice(-2000)}`))
      } else {
        resolve(JSON.parse(line.slice(resultPrefix.length)) as A)
      }
    })
  })

/**
 * Formats bytes as MiB.
 *
 * @since 0.1.0
 * @category formatting
 */
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`

/**
 * Formats milliseconds as seconds.
 *
 * @since 0.1.0
 * @category formatting
 */
export const seconds = (millis: number): string => `${(millis / 1000).toFixed(2)} s`

/**
 * Formats a ratio against a baseline (`1.00×` is the baseline itself).
 *
 * @since 0.1.0
 * @category formatting
 */
export const ratio = (value: number, baseline: number): string => {
  if (baseline === 0) return value === 0 ? "1.00×" : "n/a"
  const r = value / baseline
  return r === 0 || r >= 0.1 ? `${r.toFixed(2)}×` : `${r.toPrecision(2)}×`
}

/**
 * An integer with thousands separators.
 *
 * @since 0.1.0
 * @category formatting
 */
export const int = (n: number): string => Math.round(n).toLocaleString("en-US")

/**
 * A section as a markdown table with its notes.
 *
 * @since 0.1.0
 * @category formatting
 */
export const markdown = (section: Section): string => {
  const line = (cells: ReadonlyArray<string>) => `| ${cells.join(" | ")} |`
  return [
    `### ${section.title}`,
    "",
    line(section.columns),
    line(section.columns.map(() => "---")),
    ...section.rows.map(line),
    "",
    ...section.notes.map((n) => `- ${n}`)
  ].join("\n")
}
