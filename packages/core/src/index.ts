/**
 * @since 0.1.0
 */
export * as ContactBook from "./ContactBook.js"
/**
 * @since 0.1.0
 */
export * as ContactPoint from "./ContactPoint.js"
/**
 * @since 0.1.0
 */
export * as HttpPolicy from "./HttpPolicy.js"
/**
 * @since 0.1.0
 */
export * as Label from "./Label.js"
/**
 * @since 0.1.0
 */
export * as Liberal from "./Liberal.js"
/**
 * @since 0.1.0
 */
export * as Merge from "./Merge.js"
/**
 * @since 0.1.0
 */
export * as Normalize from "./Normalize.js"
/**
 * @since 0.1.0
 */
export * as PageAudit from "./PageAudit.js"
/**
 * @since 0.1.0
 */
export * as PagedRead from "./PagedRead.js"
/**
 * @since 0.1.0
 */
export * as PeopleDirectory from "./PeopleDirectory.js"
/**
 * @since 0.1.0
 */
export * as PeopleError from "./PeopleError.js"
/**
 * @since 0.1.0
 */
export * as Person from "./Person.js"
/**
 * @since 0.1.0
 */
export * as RateLimiter from "./RateLimiter.js"
/**
 * @since 0.1.0
 */
export * as Sync from "./Sync.js"
/**
 * @since 0.1.0
 */
export * as SyncState from "./SyncState.js"
/**
 * @since 0.1.0
 */
export * as Text from "./Text.js"
