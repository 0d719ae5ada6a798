/**
 * @since 0.1.0
 */
export * as Contacts from "./Contacts.js"
/**
 * @since 0.1.0
 */
export * as Export from "./Export.js"
/**
 * @since 0.1.0
 */
export * as Import from "./Import.js"
/**
 * @since 0.1.0
 */
export * as Link from "./Link.js"
/**
 * @since 0.1.0
 */
export * as People from "./People.js"
/**
 * @since 0.1.0
 */
export * as PeopleContactsClient from "./PeopleContactsClient.js"
/**
 * @since 0.1.0
 */
export * as PeopleContactsConfig from "./PeopleContactsConfig.js"
/**
 * @since 0.1.0
 */
export * as PeopleContactsPeople from "./PeopleContactsPeople.js"
/**
 * @since 0.1.0
 */
export * as PeopleContactsLabels from "./PeopleContactsLabels.js"
