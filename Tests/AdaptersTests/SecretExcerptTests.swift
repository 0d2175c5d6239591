import Collector
import Testing

@testable import Adapters

/// SPEC §1: platform text that a message quotes cut short (an error's words, a field's value,
/// a page's title) is redacted before it is cut. Cut first, a secret straddling the cut lost its
/// end and no longer matched at the output boundary, which printed all but its last characters.
@Suite struct SecretExcerptTests {
    /// Each place that cuts platform text for a message, with its limit in characters.
    enum Place: String, CaseIterable, CustomTestStringConvertible {
        case weiboAPIError, weiboWebMessage, jsonField, htmlTitle, wechatDate

        var testDescription: String { rawValue }

        var limit: Int {
            switch self {
            case .weiboAPIError: 120
            case .weiboWebMessage, .htmlTitle: 80
            case .jsonField, .wechatDate: 40
            }
        }

        /// The message this place makes of platform `text`.
        func message(quoting text: String) throws -> String {
            switch self {
            case .weiboAPIError:
                return WeiboErrors.apiError(
                    code: 29999,
                    text: text,
                    origin: "weibo /2/users/counts.json",
                    reauthorize: "collector auth weibo 5999000001"
                ).message
            case .weiboWebMessage:
                return WeiboErrors.webError(ok: -100, message: text, origin: "weibo m.weibo.cn getIndex")?.message ?? ""
            case .jsonField:
                let reader = JSONReader(try JSONValue.parse(#"{"count":"\#(text)"}"#), origin: "test")
                return "\(try #require(throws: JSONFieldError.self) { try reader.int64("count") })"
            case .htmlTitle:
                let page = "<html><title>\(text)</title></html>"
                return "\(try #require(throws: JSONError.self) { try JSONValue.parse(page) })"
            case .wechatDate:
                let reader = JSONReader(try JSONValue.parse(#"{"ref_date":"\#(text)"}"#), origin: "test")
                return "\(try #require(throws: JSONFieldError.self) { try WeChatAdapter.day(reader, "ref_date") })"
            }
        }
    }

    @Test(arguments: Place.allCases)
    func aSecretStraddlingTheCutIsHidden(_ place: Place) throws {
        let secret = "Tk" + String(UInt64.random(in: 1 << 60...UInt64.max), radix: 36) + "zQ"
        KnownSecrets.registerLasting(secret)
        // The cut falls 10 characters into the secret.
        let echoed = "access_token=\(secret)"
        let text = String(repeating: "-", count: place.limit - (echoed.count - secret.count) - 10) + echoed
        let shown = KnownSecrets.redact(try place.message(quoting: text))
        #expect(shown.contains("<redacted>"), "\(shown)")
        #expect(!shown.contains(secret.prefix(4)), "\(shown)")
    }
}
