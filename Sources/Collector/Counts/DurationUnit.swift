/// A unit of time that a number of a duration may be in, other than the seconds a duration is
/// stored in: what a column header such as `平均播放时长(分钟)` says its bare numbers are.
public enum DurationUnit: String, Sendable, Hashable, CaseIterable {
    /// `小时`, `h`: 3600 seconds.
    case hours
    /// `分钟`, `分`, `min`: 60 seconds.
    case minutes
    /// `毫秒`, `ms`: a thousandth of a second.
    case milliseconds

    /// `value` of this unit in seconds, exact in decimal; nil when it does not fit.
    func seconds(mantissa: Int64, scale: Int) -> DecimalValue? {
        switch self {
        case .hours, .minutes:
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: self == .hours ? 3600 : 60)
            return overflow ? nil : DecimalValue(mantissa: product, scale: UInt8(scale))
        case .milliseconds:
            return scale + 3 <= 18 ? DecimalValue(mantissa: mantissa, scale: UInt8(scale + 3)) : nil
        }
    }
}
