/**
 * Glue between the RingCentral adapter's webhook and the sync job: the changes
 * a webhook received become the job's directory events, one per delivery.
 *
 * @since 0.1.0
 */
import type * as Sync from "@unified-people/core/Sync"
import type * as Events from "@unified-people/ringcentral/Events"

/**
 * Groups webhook changes by delivery `uuid` into `Sync.DirectoryEvent`s (in
 * the order received), naming each changed entry.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromChanges = (changes: Iterable<Events.ContactChange>): ReadonlyArray<Sync.DirectoryEvent> => {
  const byUuid = new Map<string, { uuid: string; timestamp: Date; changes: Array<{ type: string; remoteId: string }> }>()
  for (const change of changes) {
    const event = byUuid.get(change.uuid) ?? { uuid: change.uuid, timestamp: new Date(change.timestamp), changes: [] }
    event.changes.push({ type: change.eventType, remoteId: change.contact.id })
    byUuid.set(change.uuid, event)
  }
  return [...byUuid.values()]
}
