/**
 * Freeing a buffer that is known to be dead now, instead of at the next full
 * collection.
 *
 * @internal
 */

/**
 * Frees the memory of `view`'s buffer now, when the view spans the whole of a
 * buffer of at least `threshold` bytes (never a part of a shared pool): the
 * buffer is transferred away (`structuredClone`, which detaches it, and the
 * copy is dropped). The caller guarantees that nothing reads the buffer
 * again: every view of it is empty afterwards. A buffer that cannot be
 * transferred (a WebAssembly memory, say) is left to the collector.
 *
 * Why: a buffer outside the heap is freed only once the collector finds its
 * wrapper object dead, which for a long-lived one (a table that grew) takes
 * the next full collection.
 *
 * @internal
 */
export const release = (view: ArrayBufferView, threshold = 64 * 1024): void => {
  const buffer = view.buffer
  if (!(buffer instanceof ArrayBuffer) || view.byteOffset !== 0 || view.byteLength !== buffer.byteLength || buffer.byteLength < threshold) return
  try {
    structuredClone(buffer, { transfer: [buffer] })
  } catch {
    // not transferable: the collector frees it
  }
}
