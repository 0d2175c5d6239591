import Adapters
import Collector
import Testing

/// The token lifecycle decisions (PLATFORMS.md §3.1, §10): given a credential and the time,
/// which step comes next, and when the operator must be told.
@Suite struct DouyinTokenPolicyTests {
    static let now = Timestamp(secondsSinceEpoch: 1_764_000_000)
    static let hour: Int64 = 3600
    static let day: Int64 = 86_400

    /// A credential whose tokens expire `access` and `refresh` seconds from ``now`` (nil: no
    /// refresh token; `.max`: a refresh token of unknown expiry).
    static func credential(access: Int64, refresh: Int64?, renewals: Int = 0) -> Credential {
        Credential(
            accessToken: Secret("act.test"),
            refreshToken: refresh == nil ? nil : Secret("rft.test"),
            obtainedAt: now.adding(seconds: -5 * day),
            expiresAt: now.adding(seconds: access),
            refreshExpiresAt: refresh.flatMap { $0 == .max ? nil : now.adding(seconds: $0) },
            renewals: renewals
        )
    }

    struct ActionCase: CustomTestStringConvertible, Sendable {
        var testDescription: String
        var access: Int64
        var refresh: Int64?
        var renewals = 0
        var canRefresh = true
        var canRenew = true
        var expected: DouyinTokenPolicy.Action
    }

    static let actionCases: [ActionCase] = [
        ActionCase(testDescription: "fresh tokens are used", access: 10 * day, refresh: 20 * day, expected: .use),
        ActionCase(
            testDescription: "less than a day left: refresh",
            access: 12 * hour,
            refresh: 20 * day,
            expected: .refresh
        ),
        ActionCase(
            testDescription: "an expired access token with a live refresh token: refresh",
            access: -day,
            refresh: 20 * day,
            expected: .refresh
        ),
        ActionCase(
            testDescription: "refresh token under three days, renewals left: renew",
            access: 10 * day,
            refresh: 2 * day,
            renewals: 2,
            expected: .renewRefreshToken
        ),
        ActionCase(
            testDescription: "the fifth renewal is the last one",
            access: 10 * day,
            refresh: 2 * day,
            renewals: 4,
            expected: .renewRefreshToken
        ),
        ActionCase(
            testDescription: "renewals used up: keep using the access token",
            access: 10 * day,
            refresh: 2 * day,
            renewals: 5,
            expected: .use
        ),
        ActionCase(
            testDescription: "renewals used up: still refresh the access token",
            access: 12 * hour,
            refresh: 2 * day,
            renewals: 5,
            expected: .refresh
        ),
        ActionCase(
            testDescription: "both tokens expired: re-authorise",
            access: -day,
            refresh: -day,
            expected: .reauthorize
        ),
        ActionCase(
            testDescription: "a dead refresh token does not stop a valid access token",
            access: 12 * hour,
            refresh: -day,
            expected: .use
        ),
        ActionCase(
            testDescription: "an access token minutes from expiry counts as expired",
            access: 120,
            refresh: -day,
            expected: .reauthorize
        ),
        ActionCase(
            testDescription: "refreshed already in this run: use what is left",
            access: 12 * hour,
            refresh: 20 * day,
            canRefresh: false,
            expected: .use
        ),
        ActionCase(
            testDescription: "no refresh allowed and nothing valid: re-authorise",
            access: -day,
            refresh: 20 * day,
            canRefresh: false,
            expected: .reauthorize
        ),
        ActionCase(
            testDescription: "a failed renewal is not retried in the same run",
            access: 10 * day,
            refresh: 2 * day,
            canRenew: false,
            expected: .use
        ),
        ActionCase(
            testDescription: "no refresh token: use the access token while it lasts",
            access: 12 * hour,
            refresh: nil,
            expected: .use
        ),
        ActionCase(
            testDescription: "no refresh token and an expired access token: re-authorise",
            access: -hour,
            refresh: nil,
            expected: .reauthorize
        ),
        ActionCase(
            testDescription: "a refresh token of unknown expiry is used to refresh, never renewed",
            access: 12 * hour,
            refresh: .max,
            expected: .refresh
        ),
    ]

    @Test(arguments: actionCases)
    func choosesTheNextStep(_ example: ActionCase) {
        let credential = Self.credential(access: example.access, refresh: example.refresh, renewals: example.renewals)
        let action = DouyinTokenPolicy.action(
            for: credential,
            at: Self.now,
            canRefresh: example.canRefresh,
            canRenew: example.canRenew
        )
        #expect(action == example.expected)
    }

    struct DeadlineCase: CustomTestStringConvertible, Sendable {
        var testDescription: String
        var access: Int64
        var refresh: Int64
        var renewals: Int
        var canRenew = true
        /// Seconds from now, or nil for "can still be extended".
        var deadline: Int64?
        var urgency: DouyinTokenPolicy.Urgency?
    }

    static let deadlineCases: [DeadlineCase] = [
        DeadlineCase(
            testDescription: "renewals left: no deadline yet",
            access: 10 * day,
            refresh: 2 * day,
            renewals: 2,
            deadline: nil,
            urgency: nil
        ),
        DeadlineCase(
            testDescription: "renewals used up, a month left: the date is known, nothing to say yet",
            access: 10 * day,
            refresh: 20 * day,
            renewals: 5,
            deadline: 20 * day,
            urgency: nil
        ),
        DeadlineCase(
            testDescription: "renewals used up, six days left: warn",
            access: 10 * day,
            refresh: 6 * day,
            renewals: 5,
            deadline: 6 * day,
            urgency: .warn
        ),
        DeadlineCase(
            testDescription: "renewals used up, two days left: report",
            access: 10 * day,
            refresh: 2 * day,
            renewals: 5,
            deadline: 2 * day,
            urgency: .report
        ),
        DeadlineCase(
            testDescription: "a refused renewal counts as no renewal left",
            access: 10 * day,
            refresh: 2 * day,
            renewals: 1,
            canRenew: false,
            deadline: 2 * day,
            urgency: .report
        ),
        DeadlineCase(
            testDescription: "a dead refresh token: the access token's expiry is the deadline",
            access: 5 * day,
            refresh: -day,
            renewals: 0,
            deadline: 5 * day,
            urgency: .warn
        ),
        DeadlineCase(
            testDescription: "a dead refresh token and one day of access left: report",
            access: day,
            refresh: -day,
            renewals: 0,
            deadline: day,
            urgency: .report
        ),
    ]

    @Test(arguments: deadlineCases)
    func saysByWhenToReauthorise(_ example: DeadlineCase) {
        let credential = Self.credential(access: example.access, refresh: example.refresh, renewals: example.renewals)
        let deadline = DouyinTokenPolicy.deadline(for: credential, at: Self.now, canRenew: example.canRenew)
        #expect(deadline == example.deadline.map { Self.now.adding(seconds: $0) })
        #expect(DouyinTokenPolicy.urgency(for: credential, at: Self.now, canRenew: example.canRenew) == example.urgency)
    }
}
