/**
 * Where the CLI writes: results to stdout, progress and errors to stderr, and
 * whether both are an interactive terminal (progress then redraws one line;
 * otherwise it prints plain lines).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Writes text to stdout as is. */
  readonly stdout: (text: string) => Effect.Effect<void>
  /** Writes text to stderr as is. */
  readonly stderr: (text: string) => Effect.Effect<void>
  /** Whether stdout and stderr are a terminal (progress redraws one line). */
  readonly interactive: boolean
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Output extends Context.Tag("@unified-people/cli/Output")<Output, Service>() {}

/**
 * The process's stdout and stderr.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerProcess: Layer.Layer<Output> = Layer.sync(Output, () => ({
  stdout: (text) => Effect.sync(() => void process.stdout.write(text)),
  stderr: (text) => Effect.sync(() => void process.stderr.write(text)),
  // redraw only when both streams are a terminal: a redirected run gets plain lines
  interactive: process.stdout.isTTY === true && process.stderr.isTTY === true
}))

/**
 * An output kept in memory (tests, embedding).
 *
 * @since 0.1.0
 * @category models
 */
export interface Memory {
  readonly layer: Layer.Layer<Output>
  readonly stdout: () => string
  readonly stderr: () => string
}

/**
 * Builds an output kept in memory.
 *
 * @since 0.1.0
 * @category constructors
 */
export const memory = (options: { readonly interactive?: boolean } = {}): Memory => {
  let out = ""
  let err = ""
  return {
    layer: Layer.succeed(Output, {
      stdout: (text) => Effect.sync(() => void (out += text)),
      stderr: (text) => Effect.sync(() => void (err += text)),
      interactive: options.interactive ?? false
    }),
    stdout: () => out,
    stderr: () => err
  }
}

/**
 * Writes a line to stdout.
 *
 * @since 0.1.0
 * @category printing
 */
export const line = (text: string): Effect.Effect<void, never, Output> => Effect.flatMap(Output, (o) => o.stdout(`${text}\n`))

/**
 * Writes a line to stderr.
 *
 * @since 0.1.0
 * @category printing
 */
export const errorLine = (text: string): Effect.Effect<void, never, Output> => Effect.flatMap(Output, (o) => o.stderr(`${text}\n`))
