/**
 * Growable typed columns: numbers kept 1, 4 or 8 bytes each (a JavaScript
 * array keeps 8 bytes per element and grows by copying with slack), with a
 * `push` and direct access to the underlying array.
 *
 * @internal
 */

type TypedArray = Int32Array | Uint8Array | Float64Array | Uint32Array

interface Constructor<A extends TypedArray> {
  new(length: number): A
}

class Column<A extends TypedArray> {
  data: A
  length = 0
  constructor(private readonly make: Constructor<A>, capacity = 1024) {
    this.data = new make(Math.max(16, capacity))
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1)
    this.data[this.length++] = value
  }

  /** Makes room for `extra` more values. */
  reserve(extra: number): void {
    if (this.length + extra > this.data.length) this.grow(this.length + extra)
  }

  private grow(atLeast: number): void {
    let size = Math.max(16, Math.ceil(this.data.length * 1.5))
    while (size < atLeast) size = Math.ceil(size * 1.5)
    const next = new this.make(size)
    next.set(this.data.subarray(0, this.length) as never)
    this.data = next
  }

  /** The values, in an array of their own length (the column is not used afterwards). */
  trim(): A {
    if (this.data.length !== this.length) this.data = this.data.slice(0, this.length) as A
    return this.data
  }
}

/** @internal */
export class Int32Column extends Column<Int32Array> {
  constructor(capacity?: number) {
    super(Int32Array, capacity)
  }
}

/** @internal */
export class Uint8Column extends Column<Uint8Array> {
  constructor(capacity?: number) {
    super(Uint8Array, capacity)
  }
}

/** @internal */
export class Float64Column extends Column<Float64Array> {
  constructor(capacity?: number) {
    super(Float64Array, capacity)
  }
}
