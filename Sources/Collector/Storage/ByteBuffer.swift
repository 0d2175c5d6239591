/// A growable byte buffer written through a raw pointer: the pending rows of one partition file.
///
/// The writer reserves room for a row once (``reserve(_:)``), writes it with plain stores at
/// ``end``, and moves ``count``: no per-byte capacity check, no uniqueness check of an array.
final class ByteBuffer {
    /// The first byte.
    private(set) var base: UnsafeMutableRawPointer
    /// Bytes written.
    var count = 0
    /// Bytes allocated.
    private(set) var capacity: Int

    /// Creates an empty buffer with room for `capacity` bytes.
    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Whether nothing is written.
    var isEmpty: Bool { count == 0 }

    /// Where the next byte goes; valid until the next ``reserve(_:)``.
    @inline(__always)
    var end: UnsafeMutableRawPointer { base + count }

    /// Makes room for at least `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        if capacity - count < extra { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends bytes.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        end.copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends the bytes of an array.
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The bytes written.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Forgets the bytes, keeping the memory (up to `keeping` bytes; a buffer that grew for one
    /// huge row gives the rest back).
    func removeAll(keeping: Int = 1 << 20) {
        count = 0
        if capacity > keeping {
            base.deallocate()
            capacity = max(keeping, 64)
            base = .allocate(byteCount: capacity, alignment: 16)
        }
    }
}
