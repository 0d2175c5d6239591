package import Collector

/// A section that reads a platform's web endpoints with the operator's login cookie
/// (`weibo_web`, `toutiao`).
///
/// One cookie is one logged-in session, and the limits that keep the session polite hold per
/// section: one request every 3 s and one account at a time (``UnofficialEndpointLimits``), and
/// the stop after a login wall. Two sections sending the same cookie would each keep them on
/// their own, so the configuration refuses that (``LoginCookieSharing``): one login, one section.
package protocol LoginCookieSection: Adapter {
    /// The cookie the section sends.
    var loginCookie: Secret { get }
    /// What two sections sending one login would do wrong, for the message of
    /// ``LoginCookieSharing/problems(_:)``.
    static var sharedLoginConsequence: String { get }
}
