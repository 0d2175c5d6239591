#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// Splits a byte stream into lines inside one reusable buffer: the reader `read(2)`s straight
/// into ``freeSpace()``, and lines are handed out as views of that buffer, so a byte is copied
/// only when a line straddles two reads (then its start moves to the front once).
///
/// The buffer starts at 64 KiB and doubles for a longer line, up to `maxLineLength`; a line
/// beyond that is skipped and reported as ``Line/tooLong(_:)``.
package struct LineBuffer: ~Copyable {
    /// One line, without its `\n`.
    package enum Line {
        /// The line's bytes, valid until the next call on the buffer.
        case text(UnsafeRawBufferPointer)
        /// A line longer than the limit, skipped; its length in bytes.
        case tooLong(Int)
    }

    /// The longest line kept, in bytes, its `\n` included.
    package let maxLineLength: Int
    private var storage: UnsafeMutableRawBufferPointer
    /// Bytes before `start` are consumed; `start..<end` are read but not yet split.
    private var start = 0
    private var end = 0
    /// Where the search for the next `\n` resumes (everything in `start..<scanned` has none).
    private var scanned = 0
    /// Inside a too-long line: the bytes dropped so far, or nil.
    private var discarded: Int?

    /// Creates a buffer of `initialCapacity` bytes.
    package init(initialCapacity: Int = 64 * 1024, maxLineLength: Int = 16 * 1024 * 1024) {
        self.maxLineLength = max(maxLineLength, 1)
        storage = .allocate(byteCount: max(initialCapacity, 16), alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// The free space at the end of the buffer, after making room: read into it, then call
    /// ``didWrite(_:)``. Never empty.
    package mutating func freeSpace() -> UnsafeMutableRawBufferPointer {
        // Below a quarter free, make room first, so reads stay large.
        if storage.count - end < storage.count / 4 {
            makeRoom()
        }
        return UnsafeMutableRawBufferPointer(rebasing: storage[end...])
    }

    /// Records that `count` bytes were written into ``freeSpace()``.
    package mutating func didWrite(_ count: Int) {
        end += count
    }

    /// The next complete line, or nil when the buffer holds none.
    package mutating func nextLine() -> Line? {
        guard scanned < end, let base = storage.baseAddress else { return nil }
        guard let found = memchr(base + scanned, 0x0A, end - scanned) else {
            scanned = end
            return nil
        }
        let newline = base.distance(to: found)
        let lineStart = start
        start = newline + 1
        scanned = start
        if let dropped = discarded {
            discarded = nil
            return .tooLong(dropped + newline - lineStart)
        }
        return .text(UnsafeRawBufferPointer(rebasing: storage[lineStart..<newline]))
    }

    /// The last line when the stream ended without a `\n`, or nil.
    package mutating func finalLine() -> Line? {
        defer {
            start = end
            scanned = end
            discarded = nil
        }
        if let dropped = discarded { return .tooLong(dropped + end - start) }
        guard start < end else { return nil }
        return .text(UnsafeRawBufferPointer(rebasing: storage[start..<end]))
    }

    /// Moves the unfinished line to the front, grows the buffer for a long line, or starts
    /// dropping a line that is too long.
    private mutating func makeRoom() {
        let pending = end - start
        if start > 0 {
            if pending > 0, let base = storage.baseAddress {
                memmove(base, base + start, pending)
            }
            scanned -= start
            start = 0
            end = pending
            return
        }
        guard end == storage.count else { return }
        // The whole buffer is one unfinished line.
        if storage.count < maxLineLength, discarded == nil {
            let grown = UnsafeMutableRawBufferPointer.allocate(
                byteCount: min(storage.count * 2, maxLineLength),
                alignment: 16
            )
            grown.copyMemory(from: UnsafeRawBufferPointer(storage))
            storage.deallocate()
            storage = grown
            return
        }
        discarded = (discarded ?? 0) + pending
        start = 0
        end = 0
        scanned = 0
    }
}
