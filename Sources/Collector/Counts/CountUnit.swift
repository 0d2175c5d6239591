/// A unit suffix of a display count (COUNTS_AND_TARGETS.md §1.2 Step 3).
///
/// `w` is the Latin spelling of 万 (Douyin, Kuaishou) and `k` the Latin spelling of 千; both
/// parse to the same case as their Chinese twin.
public enum CountUnit: String, Sendable, Hashable, CaseIterable {
    /// `千` or `k`: 10³.
    case thousand
    /// `万` or `w`: 10⁴.
    case wan
    /// `百万`: 10⁶.
    case million
    /// `千万`: 10⁷.
    case tenMillion = "ten_million"
    /// `亿`: 10⁸.
    case yi

    /// The power of ten the unit stands for: 4 for 万.
    public var exponent: Int {
        switch self {
        case .thousand: 3
        case .wan: 4
        case .million: 6
        case .tenMillion: 7
        case .yi: 8
        }
    }

    /// The unit factor U: 10000 for 万.
    public var factor: Int64 { PowerOfTen.value(exponent) }
}

/// Powers of ten as `Int64`, without floating point.
enum PowerOfTen {
    /// 10⁰ … 10¹⁸: every power of ten an `Int64` holds.
    private static let table: [Int64] = {
        var powers: [Int64] = [1]
        for _ in 1...18 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// 10^`exponent` for `exponent` in 0…18.
    static func value(_ exponent: Int) -> Int64 {
        precondition((0...18).contains(exponent), "10^\(exponent) does not fit in Int64")
        return table[exponent]
    }
}
