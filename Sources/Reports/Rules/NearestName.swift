/// The "did you mean" helper of configuration errors (STYLE §4.1: edit distance ≤ 2).
enum NearestName {
    /// The candidate closest to `name` within edit distance 2, if any; ties go to the earlier candidate.
    static func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(name, candidate)
            if distance <= 2, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// `; did you mean "threshold"?`, or an empty string when nothing is close.
    static func suggestion(for name: String, in candidates: some Sequence<String>) -> String {
        guard let nearest = nearest(to: name, in: candidates) else { return "" }
        return "; did you mean \"\(nearest)\"?"
    }

    /// Levenshtein distance over Unicode scalars, so `市` counts as one edit.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars)
        let b = Array(rhs.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
