#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Large zeroed blocks mapped on their own (`mmap`), 2 MiB-aligned and marked for transparent
/// huge pages (`MADV_HUGEPAGE`): the key index's arrays, which are read at random.
///
/// The kernel hands out mapped memory zeroed, so a new table needs no clearing pass; and it
/// takes the memory back whole on `munmap`, so a dropped table does not linger in the heap.
enum LargeMemory {
    private static let alignment = 2 << 20

    /// `bytes` zeroed bytes (a multiple of the page size is best), or nil when the mapping fails.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer? {
        let length = bytes + alignment
        guard let mapped = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            mapped != UnsafeMutableRawPointer(bitPattern: -1)
        else { return nil }
        // Keep the 2 MiB-aligned part, give the rest back.
        let address = UInt(bitPattern: mapped)
        let aligned = (address + UInt(alignment) - 1) & ~(UInt(alignment) - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(mapped, head) }
        let tail = length - head - bytes
        let start = mapped + head
        if tail > 0 { munmap(start + bytes, tail) }
        // Best effort: without huge pages the table still works, with more TLB misses.
        _ = madvise(start, bytes, Int32(MADV_HUGEPAGE))
        return start
    }

    /// Unmaps a block from ``allocate(bytes:)``.
    static func deallocate(_ block: UnsafeMutableRawPointer, bytes: Int) {
        munmap(block, bytes)
    }
}
