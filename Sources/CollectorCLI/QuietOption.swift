import ArgumentParser

/// `--quiet`: no summary when everything succeeded, so that a cron job mails only when there
/// is something to look at. The summary still appears when anything failed; warnings and
/// errors are logged either way.
struct QuietOption: ParsableArguments {
    @Flag(
        name: [.short, .long],
        help: "Print nothing when everything succeeded (for cron); the summary still appears when anything failed."
    )
    var quiet = false

    /// Whether to print the summary of a run that `succeeded` (exit 0, nothing failed).
    func printsSummary(succeeded: Bool) -> Bool {
        !quiet || !succeeded
    }
}
