/// A compact hash table from a sample key (time, platform, account, object, metric) to a
/// 32-bit payload and a byte of metadata.
///
/// The store keeps one per open partition to decide whether a row is new, a duplicate or a
/// superseding value (SPEC §3); compaction and export keep one per partition to find the row
/// of a key. Memory must stay flat with a million keys, so the table does not keep the key
/// itself, only a 64-bit hash of it: 13 bytes a slot (hash, 32-bit payload, metadata) at a
/// load of at most 0.7, about 19–37 bytes per key.
///
/// ## Collisions
/// Two different keys with the same 64-bit hash would be taken for one key. With `n` keys in a
/// partition the chance that any two collide is about n²/2⁶⁵: 3 × 10⁻⁸ for a million keys,
/// 3 × 10⁻¹⁰ for the 100,000 keys of a busy month. The consequence would be one row skipped
/// (or taken as superseding another). The hash is seeded per process (Swift's `Hasher`), so a
/// collision in one run does not repeat in the next. Keeping the keys to compare them would
/// cost 40–80 bytes more per key, which the memory budget does not allow.
final class KeyIndex {
    /// The slots' hashes; 0 marks an empty slot (a real hash of 0 is stored as 1).
    private var hashes: UnsafeMutablePointer<UInt64>
    private var payloads: UnsafeMutablePointer<UInt32>
    private var metadata: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many keys are stored.
    private(set) var count = 0

    /// Creates an empty table sized for about `expectedCount` keys.
    init(expectedCount: Int = 0) {
        var capacity = 1024
        while capacity * 7 / 10 < expectedCount { capacity *= 2 }
        self.capacity = capacity
        hashes = .allocate(capacity: capacity)
        hashes.initialize(repeating: 0, count: capacity)
        payloads = .allocate(capacity: capacity)
        payloads.initialize(repeating: 0, count: capacity)
        metadata = .allocate(capacity: capacity)
        metadata.initialize(repeating: 0, count: capacity)
    }

    deinit {
        hashes.deallocate()
        payloads.deallocate()
        metadata.deallocate()
    }

    /// The bytes the table holds, for the store's memory budget.
    var memoryBytes: Int { capacity * 13 }

    /// The slot of `hash`, or nil when the key is not stored.
    @inline(__always)
    func find(_ hash: UInt64) -> Int? {
        let hash = hash == 0 ? 1 : hash
        let mask = capacity - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = hashes[slot]
            if stored == hash { return slot }
            if stored == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// The payload of a slot returned by ``find(_:)``.
    @inline(__always)
    func payload(at slot: Int) -> UInt32 { payloads[slot] }

    /// The metadata of a slot returned by ``find(_:)``.
    @inline(__always)
    func metadata(at slot: Int) -> UInt8 { metadata[slot] }

    /// Replaces the payload and metadata of a slot returned by ``find(_:)``.
    @inline(__always)
    func update(at slot: Int, payload: UInt32, metadata: UInt8) {
        payloads[slot] = payload
        self.metadata[slot] = metadata
    }

    /// Adds a key that ``find(_:)`` did not find.
    func insert(_ hash: UInt64, payload: UInt32, metadata: UInt8) {
        if (count + 1) * 10 > capacity * 7 { grow() }
        let hash = hash == 0 ? 1 : hash
        let mask = capacity - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while hashes[slot] != 0 { slot = (slot + 1) & mask }
        hashes[slot] = hash
        payloads[slot] = payload
        self.metadata[slot] = metadata
        count += 1
    }

    private func grow() {
        let oldHashes = hashes
        let oldPayloads = payloads
        let oldMetadata = metadata
        let oldCapacity = capacity
        capacity *= 2
        hashes = .allocate(capacity: capacity)
        hashes.initialize(repeating: 0, count: capacity)
        payloads = .allocate(capacity: capacity)
        payloads.initialize(repeating: 0, count: capacity)
        metadata = .allocate(capacity: capacity)
        metadata.initialize(repeating: 0, count: capacity)
        let mask = capacity - 1
        for old in 0..<oldCapacity where oldHashes[old] != 0 {
            var slot = Int(truncatingIfNeeded: oldHashes[old]) & mask
            while hashes[slot] != 0 { slot = (slot + 1) & mask }
            hashes[slot] = oldHashes[old]
            payloads[slot] = oldPayloads[old]
            metadata[slot] = oldMetadata[old]
        }
        oldHashes.deallocate()
        oldPayloads.deallocate()
        oldMetadata.deallocate()
    }

    /// The hash of a key (time, platform, account, object, metric) from its parts as written
    /// to the files (unescaped UTF-8). ``RowParts/keyHash`` gives it for a sample and for a
    /// row read back alike.
    @inline(__always)
    static func hash(
        time: Int64,
        platform: UnsafeRawBufferPointer,
        account: UnsafeRawBufferPointer,
        object: UnsafeRawBufferPointer,
        metric: UnsafeRawBufferPointer
    ) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(time)
        // The lengths keep ("ab", "c") and ("a", "bc") apart.
        hasher.combine(platform.count)
        hasher.combine(bytes: platform)
        hasher.combine(account.count)
        hasher.combine(bytes: account)
        hasher.combine(object.count)
        hasher.combine(bytes: object)
        hasher.combine(bytes: metric)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }
}

/// Calls `body` with the UTF-8 bytes of `text`, without copying a native string.
@inline(__always)
func withUTF8<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    var text = text
    return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
}
