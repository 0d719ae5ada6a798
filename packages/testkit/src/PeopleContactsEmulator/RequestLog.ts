/**
 * The People-Contacts emulator's request log: every request it answered, in
 * order (method, path, query, status and the body it received), and how many
 * answers had each status.
 *
 * @since 0.1.0
 */

/**
 * One request the emulator received.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoggedRequest {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly status: number
  readonly body?: unknown
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RequestLog {
  /** Records an answered request. */
  readonly record: (request: LoggedRequest) => void
  /** Requests received, oldest first. */
  readonly requests: () => ReadonlyArray<LoggedRequest>
  readonly clear: () => void
  /** How many answers had each status. */
  readonly statusCounts: () => Readonly<Record<number, number>>
}

/**
 * An empty log.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): RequestLog => {
  const log: Array<LoggedRequest> = []
  const statuses: Record<number, number> = {}
  return {
    record: (request) => {
      log.push(request)
      statuses[request.status] = (statuses[request.status] ?? 0) + 1
    },
    requests: () => log,
    clear: () => {
      log.length = 0
    },
    statusCounts: () => statuses
  }
}
