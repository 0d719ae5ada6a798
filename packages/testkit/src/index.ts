/**
 * @since 0.1.0
 */
export * as Emulators from "./Emulators.js"
/**
 * @since 0.1.0
 */
export * as Generator from "./Generator.js"
/**
 * @since 0.1.0
 */
export * as HostileProxy from "./HostileProxy.js"
/**
 * @since 0.1.0
 */
export * as Loopback from "./Loopback.js"
/**
 * @since 0.1.0
 */
export * as NoisyCompany from "./NoisyCompany.js"
/**
 * @since 0.1.0
 */
export * as PeopleContactsEmulator from "./PeopleContactsEmulator.js"
/**
 * @since 0.1.0
 */
export * as Postgres from "./Postgres.js"
/**
 * @since 0.1.0
 */
export * as RingCentralEmulator from "./RingCentralEmulator.js"
