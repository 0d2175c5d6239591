/// A small, fast pseudo-random generator (SplitMix64). The schedule draws each account's jitter
/// from it, seeded once from the system's random source: jitter needs spread, not secrecy, and
/// `SystemRandomNumberGenerator` costs a system call per draw. Tests seed it for reproducible draws.
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator starting from `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// A generator seeded from the system's random source.
    package init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
