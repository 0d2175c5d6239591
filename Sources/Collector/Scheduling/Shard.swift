/// A slice of the accounts for scale-out (`--shard K/N`): account `a` of platform `p` belongs
/// to shard `fnv1a64("p/a") % N`, so the shards are disjoint, together complete, and stable
/// across runs and machines. `K` counts from 0, like a Kubernetes Indexed Job's completion index.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// This shard's index, 0 ≤ index < count.
    public var index: Int
    /// The number of shards.
    public var count: Int

    /// Creates a shard; nil unless 0 ≤ index < count.
    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    /// Whether this shard collects `account` of `platform`.
    public func contains(platform: Platform, account: String) -> Bool {
        Int(Shard.hash(platform.rawValue + "/" + account) % UInt64(count)) == index
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// FNV-1a, 64 bit: stable across processes, unlike Swift's seeded `Hasher`.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
