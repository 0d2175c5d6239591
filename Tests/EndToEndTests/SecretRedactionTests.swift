import Foundation
import Testing

/// SPEC §1: a secret never appears in a log or a message, even when the platform itself repeats
/// it. The simulator echoes the configured `app_secret` in one instance's token error and the
/// access token it handed out in another's data error; `collector run --once` must print
/// neither, on stdout or stderr, nor write them into a data or state file (the credential file
/// aside, which exists to hold the token).
@Suite(.serialized) struct SecretRedactionTests {
    static let appSecret = "S3cr3tValue42"
    static let accessToken = "ACCESS_tok_9f8e7d6c5b4a"

    @Test func aSecretThePlatformEchoesIsRedactedEverywhere() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        // Instance "echo": the token call fails and its errmsg repeats the app secret.
        try workspace.write(
            "simulator/echo/cgi-bin/stable_token.json",
            #"{"errcode":40125,"errmsg":"invalid appsecret \#(Self.appSecret) rid: 1"}"#
        )
        // Instance "token": the token call succeeds, the first data call repeats the token.
        try workspace.write(
            "simulator/token/cgi-bin/stable_token.json",
            #"{"access_token":"\#(Self.accessToken)","expires_in":7200}"#
        )
        for endpoint in ["getusercumulate", "getusersummary", "getbizsummary", "getarticletotaldetail"] {
            try workspace.write(
                "simulator/token/datacube/\(endpoint).json",
                #"{"errcode":48001,"errmsg":"api unauthorized, access_token \#(Self.accessToken) hint: [x]"}"#
            )
        }
        let (simulator, port) = try CLI.startSimulator(fixtures: workspace.path + "/simulator", in: workspace.path)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"

            [[adapters.wechat]]
            name = "echo"
            account = "gh_0123456789ab"
            app_id = "wx1234"
            app_secret = "${WX_SECRET}"
            base_url = "http://127.0.0.1:\(port)/echo"

            [[adapters.wechat]]
            name = "token"
            account = "gh_ba9876543210"
            app_id = "wx5678"
            app_secret = "@file:wx-secret"
            base_url = "http://127.0.0.1:\(port)/token"

            """
        )
        try workspace.write("wx-secret", "another-secret-value\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: workspace.path + "/wx-secret")

        let result = try CLI.run(["run", "--once"], in: workspace.path, environment: ["WX_SECRET": Self.appSecret])
        #expect(result.status == 1, "\(result.stderr)")
        // The failures are reported, with the secret cut out of the platform's text.
        #expect(result.stderr.contains("(invalid appsecret <redacted>)"), "\(result.stderr)")
        #expect(result.stderr.contains("(api unauthorized, access_token <redacted>)"), "\(result.stderr)")
        #expect(result.stderr.contains("failed: echo/gh_0123456789ab"), "\(result.stderr)")
        for output in [result.stdout, result.stderr] {
            #expect(!output.contains(Self.appSecret))
            #expect(!output.contains(Self.accessToken))
        }
        for folder in ["data", "state"] {
            for file in workspace.files(under: folder) {
                let text = workspace.read(folder + "/" + file) ?? ""
                #expect(!text.contains(Self.appSecret), "\(folder)/\(file)")
                // The credential file is where the token belongs.
                if !file.hasPrefix("credential-") { #expect(!text.contains(Self.accessToken), "\(folder)/\(file)") }
            }
        }
    }

    /// Blanks around a secret are no part of it: a secret exported with a trailing blank, or a
    /// file saved with blanks around it, is sent trimmed (the simulator answers the token call
    /// only for the trimmed secret) and the trimmed value the platform echoes is redacted.
    @Test func aSecretGivenWithBlanksIsSentAndRedactedTrimmed() throws {
        let fromVariable = "Sup3rS3cretValue9f8e7d"
        let fromFile = "FileS3cretValue1a2b3c"
        let workspace = try Workspace()
        defer { workspace.remove() }
        for (instance, secret) in [("variable", fromVariable), ("file", fromFile)] {
            // Any other secret (the untrimmed one) is refused, echoing the trimmed one.
            try workspace.write(
                "simulator/\(instance)/cgi-bin/stable_token.json",
                #"{"errcode":40125,"errmsg":"invalid appsecret, hint: [\#(secret)] rid: 1"}"#
            )
            try workspace.write(
                "simulator/\(instance)/cgi-bin/stable_token@secret=\(secret).json",
                #"{"access_token":"token-of-\#(instance)-0123456789","expires_in":7200}"#
            )
            for endpoint in ["getusercumulate", "getusersummary", "getbizsummary", "getarticletotaldetail"] {
                try workspace.write(
                    "simulator/\(instance)/datacube/\(endpoint).json",
                    #"{"errcode":48001,"errmsg":"api unauthorized, hint: [\#(secret)] rid: 2"}"#
                )
            }
        }
        let (simulator, port) = try CLI.startSimulator(fixtures: workspace.path + "/simulator", in: workspace.path)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"

            [[adapters.wechat]]
            name = "variable"
            account = "gh_0123456789ab"
            app_id = "wx1234"
            app_secret = "${WX_SECRET}"
            base_url = "http://127.0.0.1:\(port)/variable"

            [[adapters.wechat]]
            name = "file"
            account = "gh_ba9876543210"
            app_id = "wx5678"
            app_secret = "@file:wx-secret"
            base_url = "http://127.0.0.1:\(port)/file"

            """
        )
        try workspace.write("wx-secret", " \(fromFile) \t\r\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: workspace.path + "/wx-secret")
        let environment = ["WX_SECRET": fromVariable + "  "]

        let check = try CLI.run(["check"], in: workspace.path, environment: environment)
        #expect(check.status == 0, "\(check.stderr)")
        let result = try CLI.run(["run", "--once"], in: workspace.path, environment: environment)
        #expect(result.status == 1, "\(result.stderr)")
        // Both tokens were granted (the trimmed secret was sent); the data calls' echo is cut out.
        #expect(result.stderr.contains("failed: variable/gh_0123456789ab"), "\(result.stderr)")
        #expect(result.stderr.contains("failed: file/gh_ba9876543210"), "\(result.stderr)")
        #expect(result.stderr.contains("(api unauthorized, hint: [<redacted>])"), "\(result.stderr)")
        #expect(!result.stderr.contains("invalid appsecret"), "\(result.stderr)")
        for output in [check.stdout, check.stderr, result.stdout, result.stderr] {
            #expect(!output.contains(fromVariable))
            #expect(!output.contains(fromFile))
        }
        for folder in ["data", "state"] {
            for file in workspace.files(under: folder) {
                let text = workspace.read(folder + "/" + file) ?? ""
                #expect(!text.contains(fromVariable), "\(folder)/\(file)")
                #expect(!text.contains(fromFile), "\(folder)/\(file)")
            }
        }
    }

    /// A platform names the one session it refuses, not the Cookie header: each cookie pair's
    /// value of 6 bytes or more is redacted, quoted or not; the names and a short value
    /// (`lang=zh`) stay readable.
    @Test func eachCookieValueThePlatformEchoesIsRedacted() throws {
        let session = "TTsecretSESSION0123456789"
        let quoted = "TTsidGuard9876543210abc"
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write(
            "simulator/toutiao/mp/agw/statistic/v2/fans/latest_stat.json",
            #"{"code":2001,"err_no":2001,"message":"invalid session \#(session) for sid_tt, guard \#(quoted), lang zh"}"#
        )
        let (simulator, port) = try CLI.startSimulator(fixtures: workspace.path + "/simulator", in: workspace.path)
        defer {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try workspace.write(
            "adapters.conf",
            """
            [collector]
            data_dir = "data"
            state_dir = "state"

            [[adapters.toutiao]]
            account = "1600000000000001"
            cookie = "${TOUTIAO_COOKIE}"
            base_url = "http://127.0.0.1:\(port)/toutiao"

            """
        )
        let cookie = "sessionid=\(session); sid_tt=\(session); sid_guard=\"\(quoted)\"; lang=zh"
        let result = try CLI.run(["run", "--once"], in: workspace.path, environment: ["TOUTIAO_COOKIE": cookie])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains("invalid session <redacted> for sid_tt, guard <redacted>, lang zh"),
            "\(result.stderr)"
        )
        #expect(result.stderr.contains("failed: toutiao/1600000000000001"), "\(result.stderr)")
        for output in [result.stdout, result.stderr] {
            #expect(!output.contains(session))
            #expect(!output.contains(quoted))
        }
        for folder in ["data", "state"] {
            for file in workspace.files(under: folder) {
                let text = workspace.read(folder + "/" + file) ?? ""
                #expect(!text.contains(session), "\(folder)/\(file)")
                #expect(!text.contains(quoted), "\(folder)/\(file)")
            }
        }
    }
}
