/**
 * @since 0.1.0
 */
export * as Cluster from "./Cluster.js"
/**
 * @since 0.1.0
 */
export * as Command from "./Command.js"
/**
 * @since 0.1.0
 */
export * as Connector from "./Connector.js"
/**
 * @since 0.1.0
 */
export * as Http from "./Http.js"
/**
 * @since 0.1.0
 */
export * as Metrics from "./Metrics.js"
/**
 * @since 0.1.0
 */
export * as PgState from "./PgState.js"
/**
 * @since 0.1.0
 */
export * as Serve from "./Serve.js"
/**
 * @since 0.1.0
 */
export * as TenantEntity from "./TenantEntity.js"
/**
 * @since 0.1.0
 */
export * as TenantFile from "./TenantFile.js"
