/**
 * What every step of a sync job works with: its options, the state store, the
 * progress meter and the settings derived from the options.
 *
 * @internal
 */
import type * as ContactBook from "../../ContactBook.js"
import type * as Sync from "../../Sync.js"
import type * as SyncState from "../../SyncState.js"
import type { Meter } from "./progress.js"

/** @internal */
export interface Env {
  readonly options: Sync.Options
  readonly state: SyncState.Service
  readonly meter: Meter
  readonly concurrency: number
  readonly defaultRegion: string | undefined
  readonly sourceSystem: string
  readonly targetSystem: string
  /**
   * What the current run's bulk export read: every target person's contacts,
   * used instead of listing them one by one (replaced at the start of each full plan).
   */
  readonly exported: { current: ContactBook.Snapshot | undefined }
}
