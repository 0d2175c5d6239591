package import Collector

/// The floor under the politeness of a section that reads a platform's unofficial web
/// endpoints, the `source = web` adapters: with a logged-in cookie (`weibo_web`, `toutiao`) or
/// anonymously (`bilibili`). Opt-in, rate-limited and failing closed (README, PLATFORMS.md §10,
/// docs/adapters/).
///
/// Such a section may lower its `rate` and lengthen its `cooldown`, never the reverse: a
/// `rate` faster than ``rateCeiling`` (the documented default, one request every 3 s), a
/// `cooldown` shorter than ``minimumCooldown`` (`0s` would switch the circuit breaker off) and a
/// `parallel_accounts` above 1 are configuration errors. The platform's anti-abuse controls
/// watch these endpoints, and the collector does not work around them. A loopback `base_url`
/// (the platform simulator, as for `http://` in ``BaseURL``) is no platform and has no such
/// floor: the test cases, the demo and the benchmark run at `1000/s` and more.
///
/// Such a section also sends at most ``defaultDailyRequests`` requests a day (Beijing time),
/// counted per instance in `state_dir` (``DailyRequestCap``): `daily_requests` may lower that
/// cap, never raise it. On a loopback `base_url` there is no cap unless `daily_requests` sets
/// one, at any height, so that tests can reach it.
package enum UnofficialEndpointLimits {
    /// The fastest such a section may send: `20/m`, one request every 3 s.
    package static let rateCeiling = Rate(count: 20, per: .seconds(60))
    /// The shortest circuit-breaker pause after an anti-bot answer: one hour.
    package static let minimumCooldown = Duration.seconds(3600)

    /// The most requests such a section sends per day of Beijing time, unless `daily_requests`
    /// lowers it.
    ///
    /// A collection once or a few times a day fits in comfortably: with the default pages,
    /// `weibo_web` sends 2 requests per account (profile and one timeline page), `bilibili` 2
    /// (relation and card) plus one per listed video, `toutiao` 11 (followers and ten list
    /// pages) per run, so 2000 is 1000 Weibo accounts once a day or 250 four times, and a
    /// `toutiao` section run every 10 minutes. It is 100 minutes of requests at the ceiling's
    /// 20/m, a fourteenth of the 28,800 a day at that rate without a cap.
    package static let defaultDailyRequests = 2000

    /// The `daily_requests` key of the sections that have the cap.
    package static let dailyRequestsKey = ConfigurationKey(
        "daily_requests",
        type: "integer",
        default: "\(defaultDailyRequests)",
        help:
            "The most requests sent per day (Beijing time), counted in state_dir across runs; may be lowered, never raised above \(defaultDailyRequests)."
    )

    /// How a section reaches the endpoints, for the messages.
    package enum Access {
        /// With the operator's login cookie (`weibo_web`, `toutiao`).
        case loginCookie
        /// Without any login (`bilibili`).
        case anonymous
    }

    /// Reports a `rate` above ``rateCeiling``, a `cooldown` below ``minimumCooldown`` and a
    /// `parallel_accounts` above 1 of `schedule`, read from `configuration`; `site` names the
    /// endpoints (`m.weibo.cn`), and nothing is reported when `baseURL` is a loopback host.
    package static func check(
        _ schedule: AdapterSchedule,
        of configuration: AdapterConfiguration,
        site: String,
        access: Access,
        baseURL: String,
        check: inout ConfigurationCheck
    ) {
        guard !BaseURL.isLoopback(HTTPRequest(url: baseURL).host) else { return }
        let type = configuration.type
        if let rate = schedule.rate, rate.interval < rateCeiling.interval {
            let written = (try? configuration.string("rate")).flatMap { $0 } ?? rate.description
            let how =
                access == .loginCookie
                ? " with a login cookie: the platform's anti-abuse controls watch logged-in sessions"
                : ", an unofficial endpoint read without a login: the platform's anti-abuse controls watch it"
            check.report(
                configuration.error(
                    "rate",
                    "\(configuration.assignment("rate", written)) is faster than \(rateCeiling) (one request every "
                        + "\(Int(rateCeiling.interval)) s), the most \(type) sends to \(site)\(how) and "
                        + "the collector does not work around them; remove \"rate\" or set a slower one"
                )
            )
        }
        if schedule.cooldown < minimumCooldown {
            let written = (try? configuration.string("cooldown")).flatMap { $0 } ?? "\(schedule.cooldown)"
            check.report(
                configuration.error(
                    "cooldown",
                    "\(configuration.assignment("cooldown", written)) is shorter than 1h: after \(site) answers "
                        + "with its anti-abuse controls, \(type) leaves it alone for an hour at least, and the "
                        + "collector does not work around them; remove \"cooldown\" (6h) or set 1h or more"
                )
            )
        }
        if schedule.parallelAccounts != 1 {
            check.report(
                configuration.error(
                    "parallel_accounts",
                    "\(type) collects one account at a time from \(site) (an unofficial endpoint); remove"
                        + " \"parallel_accounts\""
                )
            )
        }
    }

    /// The daily request cap of a section read from `configuration`: `daily_requests`, else
    /// ``defaultDailyRequests``; nil on a loopback `baseURL` without `daily_requests`. A value
    /// below 1 is reported, and so is one above the default unless `baseURL` is a loopback host.
    package static func dailyRequestCap(
        of configuration: AdapterConfiguration,
        site: String,
        baseURL: String,
        check: inout ConfigurationCheck
    ) -> Int? {
        let loopback = BaseURL.isLoopback(HTTPRequest(url: baseURL).host)
        guard let cap = check({ () throws(ConfigurationError) in try configuration.integer("daily_requests") }) else {
            return loopback ? nil : defaultDailyRequests
        }
        guard let cap else { return loopback ? nil : defaultDailyRequests }
        if cap < 1 {
            check.report(
                configuration.error(
                    "daily_requests",
                    "\"daily_requests\" = \(cap) must be 1 or more; remove it for the"
                        + " default of \(defaultDailyRequests) requests a day"
                )
            )
            return defaultDailyRequests
        }
        if cap > defaultDailyRequests && !loopback {
            check.report(
                configuration.error(
                    "daily_requests",
                    "\"daily_requests\" = \(cap) is more than \(defaultDailyRequests), the"
                        + " most requests \(configuration.type) sends to \(site) per day (an unofficial endpoint, whose"
                        + " anti-abuse controls the collector does not work around); remove \"daily_requests\" or set"
                        + " a lower one"
                )
            )
            return defaultDailyRequests
        }
        return cap
    }

    /// What the message of a request refused by the cap advises, for a section of `type`.
    package static func dailyCapAdvice(type: String) -> String {
        "to stay within the cap, collect fewer accounts or pages, or less often; \"daily_requests\" in"
            + " [[adapters.\(type)]] lowers it (\(defaultDailyRequests) at most)"
    }
}
