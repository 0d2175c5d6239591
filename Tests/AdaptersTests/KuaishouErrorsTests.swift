import Adapters
import Collector
import Testing

/// The Kuaishou error table (PLATFORMS.md §4): every documented code, one row each.
@Suite struct KuaishouErrorsTests {
    static let reauthorize = "re-authorise account a1 with `collector auth kuaishou`"

    /// Code, expected label, expected action.
    static let table: [(Int64, String, AdapterError.Action)] = [
        (100_200_100, "badRequest", .skipAccount),
        (100_400, "badRequest", .skipAccount),
        (100_200_101, "badRequest", .skipAccount),
        (100_200_107, "badRequest", .skipAccount),
        (100_200_102, "authExpired", .skipAccount),
        (100_200_105, "reauthorizationRequired", .skipAccount),
        (100_200_106, "reauthorizationRequired", .skipAccount),
        (100_200_108, "authExpired", .skipAccount),
        (100_200_109, "reauthorizationRequired", .skipAccount),
        (100_200_110, "reauthorizationRequired", .skipAccount),
        (100_200_111, "reauthorizationRequired", .skipAccount),
        (100_200_113, "reauthorizationRequired", .skipAccount),
        (100_200_500, "transient", .retry),
        (120_001, "notFound", .skipAccount),
        (100_100_402, "rateLimited", .retry),
        (100_100_403, "rateLimited", .retry),
        (100_100_404, "rateLimited", .retry),
        (200_100_410, "rateLimited", .retry),
    ]

    @Test(arguments: table)
    func mapsEachDocumentedCodeToOneAction(code: Int64, label: String, action: AdapterError.Action) {
        let error = KuaishouErrors.error(
            code: code,
            message: "平台说明",
            origin: "kuaishou /openapi/user_info",
            reauthorize: Self.reauthorize
        )
        #expect(error.label == label)
        #expect(error.action == action)
        #expect(error.platformCode == String(code))
        #expect(error.message.hasPrefix("kuaishou /openapi/user_info: "))
        #expect(error.message.contains("(平台说明)"))
    }

    @Test func theTableCoversExactlyTheDocumentedCodes() {
        #expect(Set(Self.table.map(\.0)) == Set(KuaishouErrors.documentedCodes))
        #expect(Self.table.count == KuaishouErrors.documentedCodes.count)
    }

    @Test(arguments: table.filter { $0.1 == "reauthorizationRequired" }.map(\.0))
    func reauthorizationErrorsSayHowToReauthorize(code: Int64) {
        let error = KuaishouErrors.error(code: code, message: "", origin: "kuaishou /x", reauthorize: Self.reauthorize)
        #expect(error.message.hasSuffix(Self.reauthorize))
    }

    @Test(arguments: KuaishouErrors.documentedCodes)
    func onlyAnExpiredOrRefusedTokenCallsForARefresh(code: Int64) {
        #expect(KuaishouErrors.refreshMayHelp(code) == (code == 100_200_108 || code == 100_200_102))
    }

    @Test func anUnknownCodeIsABadRequestThatNamesTheCode() {
        let error = KuaishouErrors.error(code: 4242, message: "", origin: "kuaishou /x", reauthorize: "")
        #expect(error.label == "badRequest")
        #expect(error.message == "kuaishou /x: unexpected error code 4242")
    }
}
