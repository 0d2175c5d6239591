extension CollectionRunner {
    /// What a failure means for the run: how it is reported, and whether a retry may help.
    struct Classified {
        var failure: CollectionFailure
        var retryable: Bool
        var stopsInstance: Bool
        var retryAfter: Duration?
        var tripsBreaker = false
        /// Until when every request of the instance is refused alike (a used-up daily cap,
        /// ``HTTPError/refusedUntil``).
        var refusedUntil: Timestamp?
        /// How the requests missed the platform's API, when they did: the host could not be
        /// reached (``HTTPError/meansUnreachable``), its answer broke off in the body
        /// (``HTTPError/meansBrokenAnswer``), or something else answered
        /// (``AdapterError/missedTheAPI``).
        var missed: AccountQueue.Miss?
    }

    func classify(_ error: any Error, adapter: any Adapter, account: String) -> Classified {
        switch error {
        case let error as AdapterError:
            var message = error.message
            if let requestID = error.requestID { message += " [request id \(requestID)]" }
            return Classified(
                failure: CollectionFailure(
                    adapter: adapter.name,
                    account: account,
                    label: error.label,
                    platformCode: error.platformCode,
                    message: message
                ),
                retryable: error.action == .retry,
                stopsInstance: error.action == .stopInstance,
                retryAfter: error.retryAfter,
                tripsBreaker: error.hasSameKind(as: .antiBot("")),
                missed: error.missedTheAPI ? .otherServer : nil
            )
        case let error as HTTPError:
            return Classified(
                failure: CollectionFailure(
                    adapter: adapter.name,
                    account: account,
                    label: error.metricLabel,
                    // The label says the kind: `couldNotConnect: host/path: libcurl's detail`.
                    message: error.placeAndDetail
                ),
                retryable: error.isRetryable,
                // A used-up daily cap refuses the next account's requests too.
                stopsInstance: error.stopsInstance,
                retryAfter: nil,
                refusedUntil: error.refusedUntil,
                missed: error.meansUnreachable
                    ? .unreachable(host: error.host) : error.meansBrokenAnswer ? .brokenAnswer(host: error.host) : nil
            )
        case let error as UnreadableCredentialError:
            // The operator's to fix (a chown, docs/operations.md), not the platform's: no retry
            // helps, and the other accounts, which do not need this file, go on.
            return Classified(
                failure: CollectionFailure(
                    adapter: adapter.name,
                    account: account,
                    label: "credentialUnreadable",
                    message: error.description
                ),
                retryable: false,
                stopsInstance: false,
                retryAfter: nil
            )
        default:
            return Classified(
                failure: CollectionFailure(
                    adapter: adapter.name,
                    account: account,
                    label: "error",
                    message: "\(error)"
                ),
                retryable: false,
                stopsInstance: false,
                retryAfter: nil
            )
        }
    }
}
