/// A request budget: `N/s`, `N/m`, `N/h`, `N/d` (SPEC §2 `rate`).
public struct Rate: Sendable, Hashable, CustomStringConvertible {
    /// Requests allowed per ``period``.
    public var count: Int
    /// The period.
    public var period: Duration

    /// Creates a budget of `count` requests per `period`.
    public init(count: Int, per period: Duration) {
        self.count = count
        self.period = period
    }

    /// Parses `2/s`, `100/m`, `1000/h`, `50000/d`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        switch parts[1] {
        case "s": period = .seconds(1)
        case "m": period = .seconds(60)
        case "h": period = .seconds(3600)
        case "d": period = .seconds(86400)
        default: return nil
        }
        self.count = count
    }

    /// The seconds between two requests at this rate.
    public var interval: Double { period.secondsValue / Double(count) }

    /// `2/s`.
    public var description: String {
        let unit =
            switch period {
            case .seconds(1): "s"
            case .seconds(60): "m"
            case .seconds(3600): "h"
            default: "d"
            }
        return "\(count)/\(unit)"
    }
}
