/**
 * Glue between the RingCentral adapter's webhook and the sync job: the changes
 * a webhook received become the job's directory events, one per delivery.
 *
 * @since 0.1.0
 */
import type * as Sync from "@unified-people/core/Sync"
import * as Events from "@unified-people/ringcentral/Events"

/**
 * Groups webhook changes by delivery `uuid` into `Sync.DirectoryEvent`s (in
 * the order received), naming each changed entry: `Events.toDirectoryEvents`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromChanges: (changes: Iterable<Events.ContactChange>) => ReadonlyArray<Sync.DirectoryEvent> = Events.toDirectoryEvents
