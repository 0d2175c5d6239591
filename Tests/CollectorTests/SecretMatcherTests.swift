import Collector
import Testing

/// The redaction of known secrets in text that leaves the process: every occurrence, the
/// longest value first, nothing shorter than 6 bytes, valid UTF-8 around the cuts; and the
/// process-wide registry that ``Secret`` and configuration secrets feed.
@Suite struct SecretMatcherTests {
    @Test func replacesEveryOccurrence() {
        let matcher = SecretMatcher(["S3cr3tValue42"])
        #expect(
            matcher.redact("invalid appsecret S3cr3tValue42 rid: 1 (S3cr3tValue42)")
                == "invalid appsecret <redacted> rid: 1 (<redacted>)"
        )
        #expect(matcher.redact("S3cr3tValue42") == "<redacted>")
        #expect(matcher.redact("no secret here") == "no secret here")
    }

    @Test func aValueThatExtendsAnotherGoesWhole() {
        let matcher = SecretMatcher(["token1", "token1-and-more", "token1-and"])
        #expect(matcher.redact("a token1-and-more b token1 c") == "a <redacted> b <redacted> c")
    }

    /// `1`, `zh`, `abcde` would blot out ordinary words and numbers of every line.
    @Test func ignoresValuesShorterThanSixBytes() {
        var matcher = SecretMatcher(["abcde", "12345", ""])
        #expect(matcher.isEmpty)
        #expect(matcher.redact("abcde 12345") == "abcde 12345")
        let added = matcher.insert("abcdef")
        let addedAgain = matcher.insert("abcdef")
        #expect(added)
        #expect(!addedAgain)
        #expect(matcher.count == 1)
        #expect(matcher.redact("xabcdefx") == "x<redacted>x")
    }

    @Test func keepsTheTextValidAroundMultibyteCharacters() {
        let matcher = SecretMatcher(["密钥密钥", "秘密-value"])
        #expect(matcher.redact("错误：密钥密钥无效；秘密-value。") == "错误：<redacted>无效；<redacted>。")
    }

    @Test func removedValuesAreNoLongerRedacted() {
        var matcher = SecretMatcher(["first-secret", "first-secrets"])
        matcher.remove("first-secrets")
        #expect(matcher.count == 1)
        #expect(matcher.redact("first-secrets") == "<redacted>s")
        matcher.remove("first-secret")
        #expect(matcher.redact("first-secrets") == "first-secrets")
    }

    @Test func scalesToManyValues() {
        let matcher = SecretMatcher((0..<100_000).map { "token-\($0)-abcdef" })
        #expect(matcher.count == 100_000)
        #expect(matcher.redact("x token-99999-abcdef y token-5-abcdef") == "x <redacted> y <redacted>")
    }

    /// Creating a ``Secret`` (a token, a cookie, a stored credential) files it for redaction.
    @Test func aSecretCreatedAnywhereIsRedactedAtTheBoundary() {
        let value = "runtime-token-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        #expect(KnownSecrets.redact("the platform said \(value)") == "the platform said \(value)")
        _ = Secret(value)
        #expect(KnownSecrets.redact("the platform said \(value)") == "the platform said <redacted>")
    }

    /// The value of a key marked secret is known once the configuration is read, whether it
    /// came from `${VAR}` or `@file:`, before any adapter wraps it in a ``Secret``; an ordinary
    /// key's value from the environment is not (a base URL must stay readable in messages).
    @Test func theConfigurationFilesTheValuesOfSecretKeys() throws {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let secret = "app-secret-" + suffix
        let plain = "https://plain-" + suffix + ".example"
        _ = try ConfigurationFile.parse(
            text: """
                [[adapters.wechat]]
                account = "gh_0123456789ab"
                app_secret = "${SECRET}"
                base_url = "${BASE}"
                """,
            path: "adapters.conf",
            environment: ["SECRET": secret, "BASE": plain],
            adapterKeys: [
                "wechat": [
                    ConfigurationKey("account", type: "string", help: "One account."),
                    ConfigurationKey("app_secret", type: "string", secret: true, help: "AppSecret."),
                    ConfigurationKey("base_url", type: "string", help: "API root."),
                ]
            ]
        )
        #expect(KnownSecrets.redact("said \(secret) at \(plain)") == "said <redacted> at \(plain)")
    }

    @Test func configurationSecretsAreKept() {
        let value = "config-secret-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        KnownSecrets.registerLasting(value)
        #expect(KnownSecrets.redact("echo \(value)") == "echo <redacted>")
    }

    /// The near-copies of a secret a platform echoes: the value without its blanks, and each
    /// cookie pair's value (quotes taken off); never the cookie names, no empty piece.
    @Test(arguments: [
        ("S3cr3tValue42", ["S3cr3tValue42"]),
        (" S3cr3tValue42\t\r\n", [" S3cr3tValue42\t\r\n", "S3cr3tValue42"]),
        (
            "sessionid=TTsecret0123; sid_tt=TTsecret0123; sid_guard=\"guard-456789\"; lang=zh; flag=",
            [
                "sessionid=TTsecret0123; sid_tt=TTsecret0123; sid_guard=\"guard-456789\"; lang=zh; flag=",
                "TTsecret0123", "guard-456789", "zh",
            ]
        ),
        ("QUJDREVGR0g=", ["QUJDREVGR0g="]),
    ])
    func findsThePartsOfASecret(value: String, parts: [String]) {
        #expect(SecretParts.of(value) == parts)
    }

    /// A cookie's pair values are filed with it; the names and values under 6 bytes (`zh`) are
    /// not, so they do not blot out ordinary text. A secret's trimmed value is filed too.
    @Test func thePartsOfASecretAreRedacted() {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        _ = Secret("sessionid=sess-\(suffix); sid_tt=sess-\(suffix); lang=zh")
        #expect(
            KnownSecrets.redact("invalid session sess-\(suffix) for sid_tt, lang zh")
                == "invalid session <redacted> for sid_tt, lang zh"
        )
        KnownSecrets.registerLasting("config-secret-\(suffix) ")
        #expect(KnownSecrets.redact("[config-secret-\(suffix)]") == "[<redacted>]")
    }

    /// ``KnownSecrets/excerpt(_:limit:)`` redacts before it cuts, and never splits the
    /// `<redacted>` the cut falls in; a text within the limit is not cut.
    @Test func anExcerptIsRedactedBeforeItIsCut() {
        let secret = "excerpt-secret-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        KnownSecrets.registerLasting(secret)
        #expect(KnownSecrets.excerpt("12345 \(secret) and more", limit: 8) == "12345 <redacted>…")
        #expect(KnownSecrets.excerpt("12345 \(secret)", limit: 8) == "12345 <redacted>")
        #expect(KnownSecrets.excerpt("12345 \(secret) and more", limit: 18) == "12345 <redacted> a…")
        #expect(KnownSecrets.excerpt("short", limit: 8) == "short")
    }
}
