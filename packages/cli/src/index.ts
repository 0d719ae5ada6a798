/**
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"
/**
 * @since 0.1.0
 */
export * as Connections from "./Connections.js"
/**
 * @since 0.1.0
 */
export * as Demo from "./Demo.js"
/**
 * @since 0.1.0
 */
export * as DirectoryEvents from "./DirectoryEvents.js"
/**
 * @since 0.1.0
 */
export * as Output from "./Output.js"
/**
 * @since 0.1.0
 */
export * as Progress from "./Progress.js"
/**
 * @since 0.1.0
 */
export * as PromiseApi from "./PromiseApi.js"
/**
 * @since 0.1.0
 */
export * as SqliteState from "./SqliteState.js"
