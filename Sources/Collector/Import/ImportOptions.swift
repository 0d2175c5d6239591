/// What one import asks for besides the file and the platform (`collector import` options,
/// `[[adapters.import]]` keys): the kind, the account, a column mapping, and what the
/// self-report checks need.
public struct ImportOptions: Sendable {
    /// The export kind (`--kind`); detected from the headers when nil.
    public var kind: String?
    /// The account the file belongs to (`--account`), when the file does not name it.
    public var account: String?
    /// A column mapping (`--mapping FILE`, `columns = {…}`): the file is read through it
    /// instead of a built-in kind.
    public var mapping: ColumnMapping?
    /// The account registry: self-report rows must name one of its accounts.
    public var registry: AccountRegistry?
    /// The largest share by which a self-reported total may fall below the last stored value
    /// before the row is refused (0.2 = 20 %).
    public var maxDrop: DecimalValue
    /// The largest factor by which a self-reported total may rise above the last stored value
    /// before the value is refused (10 = ten times), when it also rises by at least
    /// ``riseAllowance``.
    public var maxRise: Double
    /// The unit a self-report sheet comes from (`--unit`, `unit`), as the registry names it:
    /// a row with figures for another unit's account refuses the whole sheet. Nil accepts the
    /// rows of every unit (a sheet filled centrally).
    public var unit: String?
    /// The values already stored, for the self-report drop check; nil skips the check.
    public var previousValues: (any PreviousValues)?
    /// The day of the import in the configured timezone; nil takes the system clock.
    public var today: CivilDate?
    /// The catalogue, for exports without ids to take the id of a work the API already
    /// catalogued (``KnownObjects``); nil derives every such id.
    public var knownObjects: (any KnownObjects)?

    /// 20 %.
    public static let defaultMaxDrop = DecimalValue(mantissa: 2, scale: 1)
    /// Ten times.
    public static let defaultMaxRise = 10.0
    /// A rise of fewer followers or posts than this is never refused, however large its
    /// factor: a young account may well go from 40 followers to 900 in a week.
    public static let riseAllowance: Int64 = 1000

    /// Creates options; every argument defaults to "not given".
    public init(
        kind: String? = nil,
        account: String? = nil,
        mapping: ColumnMapping? = nil,
        registry: AccountRegistry? = nil,
        maxDrop: DecimalValue = ImportOptions.defaultMaxDrop,
        maxRise: Double = ImportOptions.defaultMaxRise,
        unit: String? = nil,
        previousValues: (any PreviousValues)? = nil,
        today: CivilDate? = nil,
        knownObjects: (any KnownObjects)? = nil
    ) {
        self.kind = kind
        self.account = account
        self.mapping = mapping
        self.registry = registry
        self.maxDrop = maxDrop
        self.maxRise = maxRise
        self.unit = unit
        self.previousValues = previousValues
        self.today = today
        self.knownObjects = knownObjects
    }

    /// `20%` or `0.2` as the fraction 0.2; nil unless it lies in 0…1.
    public static func parseMaxDrop(_ text: String) -> DecimalValue? {
        guard case .value(let value) = MeasureString.fraction(text), value.mantissa >= 0, value.doubleValue <= 1 else {
            return nil
        }
        return value
    }

    /// `10`, `10x` or `10×` as the factor 10; nil unless it is a number of at least 1.
    public static func parseMaxRise(_ text: String) -> Double? {
        var number = text.trimmingSpaces
        if let last = number.last, "xX×".contains(last) { number.removeLast() }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let factor = Double(number), factor.isFinite, factor >= 1
        else { return nil }
        return factor
    }

    /// `10×`, `2.5×`: a rise factor as messages write it.
    public static func describeRise(_ factor: Double) -> String {
        (factor == factor.rounded() && factor < 1e15 ? String(Int64(factor)) : String(factor)) + "×"
    }
}

/// The values the store already holds, as the self-report checks read them.
///
/// ## Implementation requirements
/// ``lastValue(platform:account:metric:before:)`` returns the latest value of the key stamped
/// on a day before `date` (never on `date` itself, so that importing the same sheet again
/// compares with the value before it); ``value(platform:account:metric:on:)`` the value stamped
/// on `date` itself, which a new value for that day would replace. Both as readers take it
/// (SPEC §3: the last row of a key wins, an estimate replaces an exact value only when it
/// disproves it), with its
/// quality.
public protocol PreviousValues: Sendable {
    /// The last stored account-level value of `metric` for `account` on a day before `date`.
    func lastValue(
        platform: Platform,
        account: String,
        metric: MetricName,
        before date: CivilDate
    ) throws(ImportError) -> PreviousValue?

    /// The stored account-level value of `metric` for `account` on `date`.
    func value(
        platform: Platform,
        account: String,
        metric: MetricName,
        on date: CivilDate
    ) throws(ImportError) -> PreviousValue?
}

extension PreviousValues {
    /// No value for the day: a source that knows only earlier days checks only against them.
    public func value(
        platform _: Platform,
        account _: String,
        metric _: MetricName,
        on _: CivilDate
    ) throws(ImportError) -> PreviousValue? { nil }
}

/// A stored value and the day it describes.
public struct PreviousValue: Sendable, Hashable {
    /// The day of the value, in the configured timezone.
    public var date: CivilDate
    /// The value.
    public var value: Int64
    /// Its quality: an `approx` or `lower_bound` value replaces an `exact` one only when it
    /// disproves it (SPEC §3).
    public var quality: Quality

    /// Creates a value.
    public init(date: CivilDate, value: Int64, quality: Quality = .exact) {
        self.date = date
        self.value = value
        self.quality = quality
    }
}
