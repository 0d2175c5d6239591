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
/// (or taken as superseding another). The hash (``KeyHasher``) is a fast non-cryptographic one,
/// seeded at random per process, so a collision in one run does not repeat in the next; see
/// ``KeyHasher`` for why a non-cryptographic hash is enough here. Keeping the keys to compare
/// them would cost 40–80 bytes more per key, which the memory budget does not allow.
///
/// ## Cache misses
/// A large table does not fit the CPU caches, and one probe is then one trip to memory (about
/// 100 ns). ``touch(_:)`` loads the home slots of a group of keys before they are looked up one
/// by one, so the trips overlap instead of following each other; and a large table sits in
/// huge pages (``LargeMemory``). (One 16-byte slot array instead of three arrays saves two
/// trips per key but costs 23 % more memory, and measured no faster.)
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
        hashes = Self.allocate(capacity)
        payloads = Self.allocate(capacity)
        metadata = Self.allocate(capacity)
    }

    deinit {
        Self.deallocate(hashes, capacity)
        Self.deallocate(payloads, capacity)
        Self.deallocate(metadata, capacity)
    }

    /// The bytes the table holds, for the store's memory budget.
    var memoryBytes: Int { capacity * 13 }

    /// Arrays at least this large are mapped on their own, in huge pages where the system
    /// allows them (one TLB entry per 2 MiB rather than per 4 KiB: random lookups in a table
    /// of tens of megabytes otherwise pay a page walk each).
    private static let hugePageBytes = 2 << 20

    /// A zeroed array.
    private static func allocate<T: FixedWidthInteger>(_ capacity: Int) -> UnsafeMutablePointer<T> {
        let bytes = capacity * MemoryLayout<T>.stride
        if bytes >= hugePageBytes, let mapped = LargeMemory.allocate(bytes: bytes) {
            return mapped.bindMemory(to: T.self, capacity: capacity)
        }
        let slots = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        return slots
    }

    private static func deallocate<T>(_ slots: UnsafeMutablePointer<T>, _ capacity: Int) {
        let bytes = capacity * MemoryLayout<T>.stride
        if bytes >= hugePageBytes {
            LargeMemory.deallocate(UnsafeMutableRawPointer(slots), bytes: bytes)
        } else {
            slots.deallocate()
        }
    }

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

    /// The slot of `hash` and whether it holds the key; when it does not, the slot is the empty
    /// one where ``insert(_:at:payload:metadata:)`` puts the key (one probe for both).
    @inline(__always)
    func probe(_ hash: UInt64) -> (slot: Int, found: Bool) {
        let hash = hash == 0 ? 1 : hash
        let mask = capacity - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = hashes[slot]
            if stored == hash { return (slot, true) }
            if stored == 0 { return (slot, false) }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a key at the empty slot ``probe(_:)`` just returned for it (nothing inserted since).
    @inline(__always)
    func insert(_ hash: UInt64, at slot: Int, payload: UInt32, metadata: UInt8) {
        guard (count + 1) * 10 <= capacity * 7 else {
            insert(hash, payload: payload, metadata: metadata)
            return
        }
        hashes[slot] = hash == 0 ? 1 : hash
        payloads[slot] = payload
        self.metadata[slot] = metadata
        count += 1
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
        hashes = Self.allocate(capacity)
        payloads = Self.allocate(capacity)
        metadata = Self.allocate(capacity)
        let mask = capacity - 1
        // Old slot i moves to about i or i + oldCapacity (its home gains one bit): both
        // streams are written in order, which the caches like.
        for old in 0..<oldCapacity where oldHashes[old] != 0 {
            var slot = Int(truncatingIfNeeded: oldHashes[old]) & mask
            while hashes[slot] != 0 { slot = (slot + 1) & mask }
            hashes[slot] = oldHashes[old]
            payloads[slot] = oldPayloads[old]
            metadata[slot] = oldMetadata[old]
        }
        Self.deallocate(oldHashes, oldCapacity)
        Self.deallocate(oldPayloads, oldCapacity)
        Self.deallocate(oldMetadata, oldCapacity)
    }

    /// Loads the home slots of `keys` (hash, payload and metadata) so that the lookups that
    /// follow find them in the cache; returns a value only so that the loads are kept.
    @inline(__always)
    func touch(_ keys: UnsafeBufferPointer<UInt64>) -> UInt64 {
        let mask = capacity - 1
        var sum: UInt64 = 0
        for key in keys {
            let slot = Int(truncatingIfNeeded: key) & mask
            sum &+= hashes[slot] &+ UInt64(payloads[slot]) &+ UInt64(metadata[slot])
        }
        return sum
    }

    /// The hash of a key (time, platform, account, object, metric) from its parts as written
    /// to the files (unescaped UTF-8). ``RowParts/keyHash`` gives it for a row read back, and
    /// ``SampleChunk`` the same value from its per-string hashes.
    @inline(__always)
    static func hash(
        time: Int64,
        platform: UnsafeRawBufferPointer,
        account: UnsafeRawBufferPointer,
        object: UnsafeRawBufferPointer,
        metric: UnsafeRawBufferPointer
    ) -> UInt64 {
        KeyHasher.current.key(time: time, platform: platform, account: account, object: object, metric: metric)
    }
}

/// Calls `body` with the UTF-8 bytes of `text`, without copying a native string.
@inline(__always)
func withUTF8<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    var text = text
    return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
}
