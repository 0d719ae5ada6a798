#!/usr/bin/env node
/**
 * The `unified-people` executable.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"
import * as Output from "./Output.js"

Cli.run(process.argv).pipe(
  Effect.tap((code) => Effect.sync(() => void (process.exitCode = code))),
  Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici, Output.layerProcess)),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
