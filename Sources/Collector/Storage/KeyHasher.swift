/// The 64-bit hash of ``KeyIndex``: a seeded, non-cryptographic hash in the style of wyhash
/// (64×64→128-bit multiplications folded to 64 bits), about ten times cheaper than Swift's
/// SipHash `Hasher` on the short ids of a row, and with no hasher to set up per row.
///
/// A key (time, platform, account, object, metric) is hashed field by field: each string field
/// gets its own hash (which the store computes once per distinct string of a chunk, see
/// ``SampleChunk``), then ``key(time:platform:account:object:metric:)`` folds the five into one.
/// Rows read back from the files take the same two steps, so both sides agree.
///
/// ## Trade-off
/// The index lives in memory only and is rebuilt by every process, so the hash never has to be
/// stable across runs: its secrets are drawn at random when the process starts. It is not a
/// cryptographic hash: someone who knew the secrets could make two keys collide. The inputs are
/// the operator's own adapters and exports, not an adversary, and the secrets stay in memory;
/// for unrelated keys the chance of a collision is that of a random 64-bit function (see
/// ``KeyIndex``).
struct KeyHasher {
    /// This process's secrets.
    private let secret0: UInt64
    private let secret1: UInt64
    private let secret2: UInt64
    private let secret3: UInt64
    private let seed: UInt64

    /// The hasher of this process, its secrets drawn at random on first use.
    static let current: KeyHasher = {
        var generator = SystemRandomNumberGenerator()
        return KeyHasher(
            secrets: (generator.next(), generator.next(), generator.next(), generator.next()),
            seed: generator.next()
        )
    }()

    /// Creates a hasher with given secrets (tests use fixed ones). Odd secrets keep every
    /// multiplication invertible in its low half.
    init(secrets: (UInt64, UInt64, UInt64, UInt64), seed: UInt64) {
        secret0 = secrets.0 | 1
        secret1 = secrets.1 | 1
        secret2 = secrets.2 | 1
        secret3 = secrets.3 | 1
        self.seed = seed ^ Self.fold(seed ^ secret0, secret1)
    }

    /// The full 128-bit product of `a` and `b`, its halves folded together with XOR.
    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The hash of one field's bytes (its length included, so fields cannot run into each
    /// other once folded).
    @inline(__always)
    func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var seed = self.seed
        var a: UInt64 = 0
        var b: UInt64 = 0
        if let base = bytes.baseAddress, count > 0 {
            if count <= 16 {
                if count >= 4 {
                    // Two overlapping 4-byte reads at each end cover every length from 4 to 16.
                    let middle = (count >> 3) << 2
                    a = (Self.read4(base, 0) << 32) | Self.read4(base, middle)
                    b = (Self.read4(base, count - 4) << 32) | Self.read4(base, count - 4 - middle)
                } else {
                    a =
                        UInt64(base.load(as: UInt8.self)) << 16
                        | UInt64(base.load(fromByteOffset: count >> 1, as: UInt8.self)) << 8
                        | UInt64(base.load(fromByteOffset: count - 1, as: UInt8.self))
                }
            } else {
                var offset = 0
                while count - offset > 16 {
                    seed = Self.fold(Self.read8(base, offset) ^ secret1, Self.read8(base, offset + 8) ^ seed)
                    offset += 16
                }
                a = Self.read8(base, count - 16)
                b = Self.read8(base, count - 8)
            }
        }
        let product = (a ^ secret1).multipliedFullWidth(by: b ^ seed)
        return Self.fold(product.low ^ secret0 ^ UInt64(truncatingIfNeeded: count), product.high ^ secret1)
    }

    /// The hash of a key from the time and its four fields' hashes (``hash(_:)``).
    @inline(__always)
    func key(time: Int64, platform: UInt64, account: UInt64, object: UInt64, metric: UInt64) -> UInt64 {
        var hash = Self.fold(UInt64(bitPattern: time) ^ secret2, platform ^ seed)
        hash = Self.fold(hash ^ account, object ^ secret3)
        return Self.fold(hash ^ metric ^ secret0, secret1)
    }

    /// The hash of a content-catalogue key (account, object) from its two fields' hashes
    /// (``hash(_:)``): ids are unique only within an account (see ``CatalogueStage``).
    @inline(__always)
    func catalogueKey(account: UInt64, object: UInt64) -> UInt64 {
        Self.fold(Self.fold(account ^ secret2, object ^ secret3) ^ seed, secret1)
    }

    /// The hash of a key given as bytes.
    @inline(__always)
    func key(
        time: Int64,
        platform: UnsafeRawBufferPointer,
        account: UnsafeRawBufferPointer,
        object: UnsafeRawBufferPointer,
        metric: UnsafeRawBufferPointer
    ) -> UInt64 {
        key(time: time, platform: hash(platform), account: hash(account), object: hash(object), metric: hash(metric))
    }

    @inline(__always)
    private static func read8(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func read4(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }
}
