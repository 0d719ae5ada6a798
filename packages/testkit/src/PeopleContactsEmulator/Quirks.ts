/**
 * Behaviours of the real People-Contacts service that its documentation does
 * not show, which the emulator reproduces on demand: the status and body of a
 * create, flags left out of list and single answers, legacy page links, and a
 * bare `429`. Two presets: {@link documentedQuirks} (the documentation, the
 * default) and {@link recordedQuirks} (the recorded samples).
 *
 * @since 0.1.0
 */

/**
 * Behaviours of the real service that the documentation does not show,
 * reproduced on demand.
 *
 * @since 0.1.0
 * @category models
 */
export interface Quirks {
  /** Status of a successful create: 201 as documented, 200 as recorded. */
  readonly createStatus: 200 | 201
  /** The create answer carries `nodeID` and no `integration`/`verified` (as recorded). */
  readonly createOmitsFlags: boolean
  /** List answers leave out `integration`/`verified` (as the documented list sample). */
  readonly listOmitsFlags: boolean
  /** The single-contact answer leaves out `integration` (ownership unknown). */
  readonly getOmitsIntegration: boolean
  /** Legacy `page=` links with `rel="prev"`/`rel="last"` instead of cursors. */
  readonly legacyPaging: boolean
  /** 429 answers with an empty body and no `Retry-After` or rate-limit headers (an SDK stub's variant). */
  readonly bare429: boolean
}

/**
 * The documented behaviour (the default).
 *
 * @since 0.1.0
 * @category constants
 */
export const documentedQuirks: Quirks = {
  createStatus: 201,
  createOmitsFlags: false,
  listOmitsFlags: false,
  getOmitsIntegration: false,
  legacyPaging: false,
  bare429: false
}

/**
 * The quirks of the recorded samples.
 *
 * @since 0.1.0
 * @category constants
 */
export const recordedQuirks: Quirks = {
  createStatus: 200,
  createOmitsFlags: true,
  listOmitsFlags: true,
  getOmitsIntegration: false,
  legacyPaging: false,
  bare429: false
}
