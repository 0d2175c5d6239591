/// "Did you mean …?" for a misspelt key, table or adapter type in `adapters.conf` (STYLE §4.1).
package enum KeySuggestion {
    /// The largest edit distance that still earns a suggestion.
    package static let maximumDistance = 2

    /// The candidate closest to `word` when it is at most ``maximumDistance`` edits away, else nil.
    ///
    /// Ties go to the earlier candidate, so callers list their keys in a helpful order. The
    /// distance must also stay below the longer word's length: otherwise a two-letter typo
    /// would "match" every two-letter key.
    package static func nearest(to word: String, among candidates: some Sequence<String>) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(word, candidate)
            guard distance <= maximumDistance, distance < max(word.count, candidate.count) else { continue }
            if let found = best, found.distance <= distance { continue }
            best = (candidate, distance)
        }
        return best?.candidate
    }

    /// `; did you mean "threshold"?` for the nearest candidate, or an empty string when none is close.
    package static func suggestion(for word: String, among candidates: some Sequence<String>) -> String {
        nearest(to: word, among: candidates).map { "; did you mean \"\($0)\"?" } ?? ""
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbouring characters each cost 1, so `acounts` → `accounts` is 1 and
    /// `acconuts` → `accounts` is 1 too.
    package static func editDistance(_ left: String, _ right: String) -> Int {
        let a = Array(left.lowercased())
        let b = Array(right.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows suffice: the swap looks two rows back.
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
