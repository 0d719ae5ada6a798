/**
 * `npm run bench`: every benchmark in one run, one after the other (never in
 * parallel, so they do not compete for the cores), printed as markdown tables and
 * written to `bench/RESULTS.md` with the date and the machine.
 *
 *   npm run bench                       # built code: directory 100,000 entries (and 1,000,000 streamed), sync 10,000 people, merge 1,000,000 raw records end to end
 *   npm run bench -- --quick            # directory 10,000, sync 1,000, merge 100,000
 *   npm run bench:source                # the same from the TypeScript sources under tsx
 *   npm run bench -- --only directory,merge
 *
 * Other flags: `--directory-size`, `--directory-scale` (default 0.01),
 * `--sync-size`, `--sync-scale` (default 0.001), `--sync-concurrency` (default 8),
 * `--merge-records`, `--no-small-pages` (skip the SDK run with 100-entry pages),
 * `--directory-strict-scale` (default 0.5, `none` to skip: the library and the SDK
 * with 2000-entry pages on a long listing of `--directory-strict-size` entries,
 * default 160,000, where the window binds: the rate-limit efficiency),
 * `--directory-stream-size` (default 1,000,000, 0 to skip: `RingCentralPeople.stream`
 * and the SDK loop over that many entries, for the peak memory),
 * `--out FILE` (default bench/RESULTS.md).
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Bulk from "./bulk.js"
import * as Cluster from "./cluster.js"
import * as Directory from "./directory.js"
import * as Merge from "./merge.js"
import * as Sync from "./sync.js"
import * as Util from "./util.js"

const benchmarks = ["directory", "sync", "bulk", "merge", "cluster"] as const

const machine = (): string => {
  const cpus = Os.cpus()
  return `${cpus[0]?.model ?? "unknown CPU"}, ${Os.availableParallelism()} cores (nproc), ` +
    `${(Os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${Os.type()} ${Os.release()}`
}

const load = (): string => Os.loadavg().map((l) => l.toFixed(1)).join(" / ")

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  const quick = Util.has(args, "quick")
  const only = Util.flag(args, "only")?.split(",").map((s) => s.trim()) ?? [...benchmarks]
  for (const name of only) {
    if (!(benchmarks as ReadonlyArray<string>).includes(name)) throw new Error(`unknown benchmark ${name} (one of ${benchmarks.join(", ")})`)
  }
  const out = Path.resolve(Util.root, Util.flag(args, "out") ?? "bench/RESULTS.md")
  const started = new Date()
  const loadBefore = load()
  const clock = performance.now()
  const sections: Array<Util.Section> = []
  const timings: Array<string> = []
  const timed = async (name: string, f: () => Promise<Util.Section>) => {
    const t = performance.now()
    const section = await f()
    timings.push(`${name} ${Util.seconds(performance.now() - t)}`)
    sections.push(section)
    process.stdout.write(`\n${Util.markdown(section)}\n`)
  }
  if (only.includes("directory")) {
    await timed("directory (decode + map)", () =>
      Promise.resolve(Directory.runDecode({ entries: quick ? 10_000 : 20_000, runs: 9 })))
    await timed("directory", () =>
      Directory.run({
        size: Util.numberFlag(args, "directory-size", quick ? 10_000 : 100_000),
        scale: Util.numberFlag(args, "directory-scale", 0.01),
        smallPages: !Util.has(args, "no-small-pages"),
        people: true
      }))
    // a long listing where the window binds many times: only the contenders that page by 2000
    const strict = Util.flag(args, "directory-strict-scale") ?? "0.5"
    if (strict !== "none") {
      const size = Util.numberFlag(args, "directory-strict-size", quick ? 100_000 : 160_000)
      await timed("directory (rate limit)", () =>
        Directory.run({
          size,
          scale: Number(strict),
          smallPages: false,
          people: false,
          title: `Rate-limit efficiency: a long listing of ${Util.int(size)} entries, rate limits ×${strict}`
        }))
    }
    // a million entries streamed to Person: peak memory of built code
    const stream = Util.numberFlag(args, "directory-stream-size", quick ? 0 : 1_000_000)
    if (stream > 0) {
      await timed("directory (1M stream)", () =>
        Directory.run({
          size: stream,
          scale: Util.numberFlag(args, "directory-scale", 0.01),
          smallPages: false,
          people: true,
          only: ["library-people"],
          // and again with the old generation capped at 4 times the stream's live set (about 30 MiB): its garbage is what
          // grows the heap (measured at 1M: 128 and 96 MiB cost no CPU and peak at 156-159 MiB; 64 MiB doubles the CPU)
          childFlags: { label: "node --max-old-space-size=128", args: ["--max-old-space-size=128"] },
          title: `Streaming ${Util.int(stream)} directory entries to Person: peak memory, rate limits ×${Util.numberFlag(args, "directory-scale", 0.01)}`
        }))
    }
  }
  if (only.includes("sync")) {
    await timed("sync", () =>
      Sync.run({
        size: Util.numberFlag(args, "sync-size", quick ? 1_000 : 10_000),
        scale: Util.numberFlag(args, "sync-scale", 0.001),
        concurrency: Util.numberFlag(args, "sync-concurrency", 8)
      }))
  }
  if (only.includes("bulk")) {
    await timed("bulk", () =>
      Bulk.run({ size: Util.numberFlag(args, "bulk-size", quick ? 1_000 : 10_000), scale: Util.numberFlag(args, "sync-scale", 0.001), concurrency: Util.numberFlag(args, "sync-concurrency", 8) }))
  }
  if (only.includes("merge")) {
    const seed = Util.numberFlag(args, "seed", 1)
    // quality (and the in-memory Person path) at 100,000 records; raw records end to end at the full size
    await timed("merge", () => Merge.run({ records: 100_000, qualityRecords: 100_000, seed }))
    await timed("merge (end to end)", () =>
      Merge.runEndToEnd({ records: Util.numberFlag(args, "merge-records", quick ? 100_000 : 1_000_000), seed }))
  }
  if (only.includes("cluster")) await timed("cluster", () => Cluster.run({ tenants: quick ? 6 : 20, size: quick ? 20 : 30, scale: Util.numberFlag(args, "cluster-scale", 0.01) }))
  const document = [
    `# Benchmark results${quick ? " (--quick)" : ""}`,
    "",
    `- Date: ${started.toISOString()} (finished ${new Date().toISOString()}, ${Util.seconds(performance.now() - clock)} in all: ${timings.join(", ")})`,
    `- Machine: ${machine()}`,
    `- Load average (1 / 5 / 15 min) at the start: ${loadBefore}; at the end: ${load()}. The machine is shared with other work, so wall times are inflated; CPU times and call counts are steadier.`,
    `- Command: \`npm run bench${args.length === 0 ? "" : ` -- ${args.join(" ")}`}\``,
    "",
    ...sections.flatMap((s) => [Util.markdown(s), ""])
  ].join("\n")
  Fs.writeFileSync(out, document)
  process.stdout.write(`\nwritten to ${Path.relative(process.cwd(), out)}\n`)
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
