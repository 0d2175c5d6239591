/// Sleeping until a time of the wall clock, which can step either way: NTP correcting a clock
/// that was ahead or behind, a VM snapshot restored, `date -s`, a suspend.
///
/// A task's own sleep runs on a steady clock, so a sleep until a wall-clock time is taken in
/// short steps, reading the wall clock after each.
public enum WallClock {
    /// Sleeps until `read()` reaches `deadline`, in steps of at most `step`.
    ///
    /// Returns early when `wake` returns true, when the task is cancelled, and when the wall
    /// clock reads earlier than at the step before: it went back, so `deadline` may now lie
    /// much further ahead than whoever computed it meant (a day, for a clock that was a day
    /// ahead), and the caller must look at its due times again rather than sleep that long.
    /// - Parameters:
    ///   - deadline: The wall-clock time to wake at.
    ///   - step: The longest single sleep: how soon a stop, a clock step or `wake` is noticed.
    ///   - read: The wall clock.
    ///   - wake: Whether to return now (a stop or a reload requested).
    public static func sleep(
        until deadline: Timestamp,
        step: Duration = .milliseconds(250),
        read: () -> Timestamp = CollectionRunner.systemClock,
        wake: () -> Bool = { false }
    ) async {
        var previous = read().secondsSinceEpoch
        // A cancelled task's `Task.sleep` returns at once: without the check this would spin.
        while !wake() && !Task.isCancelled {
            let remaining = deadline.secondsSinceEpoch - previous
            guard remaining > 0 else { return }
            try? await Task.sleep(for: min(step, .seconds(remaining)))
            let now = read().secondsSinceEpoch
            guard now >= previous else { return }
            previous = now
        }
    }
}
