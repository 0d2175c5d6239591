package import Collector

/// A section whose requests count against a daily cap: the sections that read a platform's
/// unofficial web endpoints (`weibo_web`, `toutiao`, `bilibili`; ``UnofficialEndpointLimits``).
///
/// `collector run` and `collector test` put a ``DailyRequestCap`` into the HTTP client of such
/// an instance, and `collector check` warns when the instance's accounts and pages, collected
/// as often as its `interval` says, need more requests a day than the cap allows.
package protocol DailyCappedSection: Adapter {
    /// The most requests the instance sends per day of Beijing time (`daily_requests`), or nil
    /// for no cap (a loopback `base_url` that sets none).
    var dailyRequestCap: Int? { get }
    /// The most requests one collection of all the instance's accounts sends, every page read:
    /// for `collector check`'s estimate.
    var requestsPerRun: Int { get }
}
