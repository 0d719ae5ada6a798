/**
 * @since 0.1.0
 */
export * as Auth from "./Auth.js"
/**
 * @since 0.1.0
 */
export * as CustomFields from "./CustomFields.js"
/**
 * @since 0.1.0
 */
export * as Directory from "./Directory.js"
/**
 * @since 0.1.0
 */
export * as Events from "./Events.js"
/**
 * @since 0.1.0
 */
export * as Extensions from "./Extensions.js"
/**
 * @since 0.1.0
 */
export * as Mapping from "./Mapping.js"
/**
 * @since 0.1.0
 */
export * as ProfileImages from "./ProfileImages.js"
/**
 * @since 0.1.0
 */
export * as Provisioning from "./Provisioning.js"
/**
 * @since 0.1.0
 */
export * as RingCentralClient from "./RingCentralClient.js"
/**
 * @since 0.1.0
 */
export * as RingCentralConfig from "./RingCentralConfig.js"
/**
 * @since 0.1.0
 */
export * as RingCentralError from "./RingCentralError.js"
/**
 * @since 0.1.0
 */
export * as RingCentralPeople from "./RingCentralPeople.js"
