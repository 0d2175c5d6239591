/// How one platform formats its display counts (COUNTS_AND_TARGETS.md §1.2, §1.6).
///
/// No platform documents its rounding, so ``default`` assumes nothing: an unknown rounding
/// mode, the literal number of decimals, and a unit shown from one unit upwards. A platform
/// gets its own profile only once a calibration (display string against API integer) proves
/// more.
public struct CountProfile: Sendable, Hashable {
    /// How the platform rounds a value to its display (Step 5).
    public enum RoundingMode: String, Sendable, Hashable, CaseIterable {
        /// Not known: the interval is the union of ``halfUp`` and ``floor``, `[base − q/2, base + q)`.
        case unknown
        /// Rounds half up (`toFixed(1)`): `[base − q/2, base + q/2)`.
        case halfUp = "half_up"
        /// Truncates (`Math.floor`): `[base, base + q)`.
        case floor
    }

    /// What a `+` suffix such as `10万+` or `999+` promises (Step 6).
    public enum CensoredBound: String, Sendable, Hashable, CaseIterable {
        /// "At least N": `lo = N` (the default).
        case atLeast = "at_least"
        /// "More than N": `lo = N + 1`, as WeChat's `10万+`, whose `read_num` stops at 100001.
        case moreThan = "more_than"
    }

    /// The rounding mode of the platform's formatter.
    public var roundingMode: RoundingMode
    /// What the `+` suffix means.
    public var censoredBound: CensoredBound
    /// Decimals the formatter shows once `.0` is stripped (`p`), or nil to trust the literal
    /// string; with `1`, `12万` means `12.0万` and its step is 1000, not 10000.
    public var impliedDecimals: Int?
    /// The smallest value the platform shows with a unit, where it differs from the unit
    /// itself (for example `[.wan: 100000]` where 万 appears only from 10万).
    public var unitSwitches: [CountUnit: Int64]

    /// Creates a profile; every argument defaults to the conservative reading of ``default``.
    ///
    /// - Precondition: `impliedDecimals`, when given, lies in 0…18 (profiles are written in code).
    public init(
        roundingMode: RoundingMode = .unknown,
        censoredBound: CensoredBound = .atLeast,
        impliedDecimals: Int? = nil,
        unitSwitches: [CountUnit: Int64] = [:]
    ) {
        precondition(impliedDecimals.map { (0...18).contains($0) } ?? true, "implied decimals must lie in 0…18")
        self.roundingMode = roundingMode
        self.censoredBound = censoredBound
        self.impliedDecimals = impliedDecimals
        self.unitSwitches = unitSwitches
    }

    /// No knowledge of the formatter: unknown rounding, literal decimals, units shown from one unit up.
    public static let `default` = CountProfile()

    /// WeChat article reads and 在看: `10万+` means more than 100000, so `lo = point = 100001`
    /// (the `read_num` cap and the Qingbo convention).
    public static let wechatReads = CountProfile(censoredBound: .moreThan)

    /// m.weibo.cn displays: one decimal of 万 or 亿 with `.0` stripped, so `12万` has the step
    /// 0.1万 = 1000 and a stored `approx` value ≥ 10000 recovers with q = 1000.
    public static let weiboDisplay = CountProfile(impliedDecimals: 1)

    /// `U_switch`: the smallest value shown with `unit` (default: the unit itself, 10000 for 万).
    public func unitSwitch(for unit: CountUnit) -> Int64 {
        unitSwitches[unit] ?? unit.factor
    }

    /// The display step of an `approx` value under this profile, for ``ValueInterval/recover(value:quality:profile:)``;
    /// nil when the profile does not fix the number of decimals.
    ///
    /// With implied decimals `p`, a value from `U_switch(亿)` up was shown in 亿 and one from
    /// `U_switch(万)` up in 万, so the step is that unit over 10^p (Weibo: 1000 from 10000 up).
    public func displayStep(for value: Int64) -> Int64? {
        guard let impliedDecimals else { return nil }
        for unit in [CountUnit.yi, .wan] where value >= unitSwitch(for: unit) {
            let exponent = unit.exponent - impliedDecimals
            return exponent > 0 ? PowerOfTen.value(exponent) : 1
        }
        return nil
    }
}
