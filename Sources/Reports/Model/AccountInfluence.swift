public import Collector

/// The influence figures of one account in the period: EII with its components, and the
/// platform's published third-party index.
public struct AccountInfluence: Sendable, Hashable {
    /// The unit.
    public var unit: UnitProfile
    /// The registry row.
    public var account: RegistryEntry
    /// The EII inputs.
    public var inputs: EII.Inputs
    /// The EII.
    public var eii: EII
    /// The third-party index shown for the platform (`WCI V14.2`, `BCI`, `VCI`, `BVCI V2.0`), if any.
    public var indexName: String
    /// Its value.
    public var indexValue: Double?

    /// Creates a row.
    public init(
        unit: UnitProfile,
        account: RegistryEntry,
        inputs: EII.Inputs,
        eii: EII,
        indexName: String,
        indexValue: Double?
    ) {
        self.unit = unit
        self.account = account
        self.inputs = inputs
        self.eii = eii
        self.indexName = indexName
        self.indexValue = indexValue
    }
}
