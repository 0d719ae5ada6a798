/**
 * @since 0.1.0
 */
export * as HostileProxy from "./HostileProxy.js"
/**
 * @since 0.1.0
 */
export * as NoisyCompany from "./NoisyCompany.js"
