import Adapters
import Collector
import Testing

/// The Douyin error table: every code of PLATFORMS.md §3.3 and the OAuth codes of §3.1 map to
/// one kind, hence one action.
@Suite struct DouyinErrorsTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var code: Int64
        var kind: AdapterError
        var action: AdapterError.Action
        var testDescription: String { "\(code) → \(kind.label)" }
    }

    /// Written from PLATFORMS.md, independently of the table under test.
    static let rows: [Row] = [
        Row(code: 28_001_005, kind: .transient(""), action: .retry),
        Row(code: 2_100_004, kind: .transient(""), action: .retry),
        Row(code: 28_001_006, kind: .transient(""), action: .retry),
        Row(code: 28_001_007, kind: .badRequest(""), action: .skipAccount),
        Row(code: 2_100_005, kind: .badRequest(""), action: .skipAccount),
        Row(code: 10005, kind: .badRequest(""), action: .skipAccount),
        Row(code: 28_001_008, kind: .authExpired(""), action: .skipAccount),
        Row(code: 2_190_008, kind: .authExpired(""), action: .skipAccount),
        Row(code: 10008, kind: .authExpired(""), action: .skipAccount),
        Row(code: 2_190_002, kind: .authExpired(""), action: .skipAccount),
        Row(code: 28_001_012, kind: .reauthorizationRequired(""), action: .skipAccount),
        Row(code: 28_001_014, kind: .permission(""), action: .skipAccount),
        Row(code: 28_001_018, kind: .permission(""), action: .skipAccount),
        Row(code: 2_190_004, kind: .permission(""), action: .skipAccount),
        Row(code: 2_100_007, kind: .permission(""), action: .skipAccount),
        Row(code: 10004, kind: .permission(""), action: .skipAccount),
        Row(code: 28_001_015, kind: .badRequest(""), action: .skipAccount),
        Row(code: 28_001_016, kind: .permission(""), action: .stopInstance),
        Row(code: 28_001_019, kind: .permission(""), action: .stopInstance),
        Row(code: 28_001_045, kind: .notFound(""), action: .skipAccount),
        Row(code: 28_001_046, kind: .notFound(""), action: .skipAccount),
        Row(code: 28_001_047, kind: .permission(""), action: .skipAccount),
        Row(code: 28_001_052, kind: .rateLimited(""), action: .retry),
        Row(code: 28_003_017, kind: .quotaExhausted(""), action: .stopInstance),
        Row(code: 2_190_001, kind: .quotaExhausted(""), action: .stopInstance),
        Row(code: 28_003_018, kind: .rateLimited(""), action: .retry),
        Row(code: 10010, kind: .reauthorizationRequired(""), action: .skipAccount),
        Row(code: 10020, kind: .reauthorizationRequired(""), action: .skipAccount),
    ]

    @Test(arguments: rows)
    func mapsEachCodeToOneKindAndAction(_ row: Row) {
        let error = DouyinErrors.error(
            code: row.code,
            description: "说明",
            origin: "douyin /data/external/user/fans/",
            requestID: "LOG1"
        )
        #expect(error.hasSameKind(as: row.kind), "\(error)")
        #expect(error.action == row.action)
        #expect(error.platformCode == String(row.code))
        #expect(error.requestID == "LOG1")
        #expect(error.message.hasPrefix("douyin /data/external/user/fans/: "))
        #expect(error.message.hasSuffix(" (说明)"))
    }

    @Test func tableHoldsExactlyTheDocumentedCodes() {
        let inTable = DouyinErrors.rows.flatMap(\.codes)
        #expect(Set(inTable).count == inTable.count, "a code appears in two rows")
        #expect(Set(inTable) == Set(Self.rows.map(\.code)))
    }

    @Test func unknownCodeIsABadRequestNamingTheCode() {
        let error = DouyinErrors.error(code: 99_999_999, description: "", origin: "douyin /video/list/", requestID: nil)
        #expect(error.hasSameKind(as: .badRequest("")))
        #expect(
            error.message
                == "douyin /video/list/: unexpected error code 99999999; see the Douyin open platform error code list"
        )
    }

    @Test(arguments: [28_001_008, 2_190_008, 10008, 2_190_002] as [Int64])
    func expiredOrInvalidAccessTokensAskForARefresh(_ code: Int64) {
        let error = DouyinErrors.error(code: code, description: "", origin: "douyin /video/list/", requestID: nil)
        #expect(DouyinErrors.rejectsAccessToken(error))
    }

    @Test(arguments: [10010, 28_001_012, 28_003_018, 28_001_014] as [Int64])
    func otherCodesDoNotAskForARefresh(_ code: Int64) {
        let error = DouyinErrors.error(code: code, description: "", origin: "douyin /video/list/", requestID: nil)
        #expect(!DouyinErrors.rejectsAccessToken(error))
    }
}
