#!/usr/bin/env node
/**
 * The `unified-people` executable. SIGINT and SIGTERM interrupt the command:
 * a sync stops between writes (the writes in flight are finished and recorded),
 * prints where it stopped and exits 130 (SIGINT) or 143 (SIGTERM); a second
 * signal ends the process at once.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"
import * as Output from "./Output.js"

let signal: "SIGINT" | "SIGTERM" | undefined
let code: number = Cli.exitCodes.error
process.once("SIGINT", () => void (signal ??= "SIGINT"))
process.once("SIGTERM", () => void (signal ??= "SIGTERM"))

Cli.run(process.argv).pipe(
  Effect.tap((exitCode) => Effect.sync(() => void (code = exitCode))),
  Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici, Output.layerProcess)),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) => {
      if (Exit.isSuccess(exit)) onExit(code)
      else if (Cause.isInterruptedOnly(exit.cause)) onExit(signal === "SIGTERM" ? Cli.exitCodes.sigterm : Cli.exitCodes.sigint)
      else onExit(Cli.exitCodes.error)
    }
  })
)
