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
package enum UnofficialEndpointLimits {
    /// The fastest such a section may send: `20/m`, one request every 3 s.
    package static let rateCeiling = Rate(count: 20, per: .seconds(60))
    /// The shortest circuit-breaker pause after an anti-bot answer: one hour.
    package static let minimumCooldown = Duration.seconds(3600)

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
}
