import Testing

@testable import Collector

/// `CommandLineSecrets`: which arguments of an exec command look like they carry a secret.
struct CommandLineSecretsTests {
    @Test(
        arguments: [
            (["./xhs", "--token=${XHS_TOKEN}"], ["argument 2 (${XHS_TOKEN})"]),
            (["./xhs", "--cookie", "${XHS_COOKIE:-x}"], ["argument 3 (${XHS_COOKIE})"]),
            (["./xhs", "--token=abc123"], ["argument 2 (--token=…)"]),
            (["./xhs", "--api-key", "abc123", "--since", "7d"], ["argument 3 (the value of --api-key)"]),
            (["./xhs", "@file:/run/secrets/xhs"], ["argument 2 (@file:…, a file's content)"]),
            (["sh", "adapters/xhs.sh", "--since", "7d"], []),
            (["./xhs", "--out", "${HOME}/x", "--keyword", "教育"], []),
            (["./xhs", "--token", "--verbose"], []),
            (["./monkey", "--passes", "3"], []),
        ] as [([String], [String])]
    )
    func findsTheArgumentsThatLookLikeSecrets(arguments: [String], expected: [String]) {
        #expect(CommandLineSecrets.suspects(in: arguments) == expected)
    }
}
