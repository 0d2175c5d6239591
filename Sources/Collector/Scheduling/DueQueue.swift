/// A binary min-heap of accounts by due time, 12 bytes an account: the service scheduler's
/// view of one instance, so finding the next due account costs O(log n) even with 100,000.
package struct DueQueue {
    /// One account: when it is due, and its position in the instance's account list.
    package struct Item: Sendable, Hashable {
        /// Seconds since the epoch.
        package var due: Int64
        /// The account's position.
        package var index: Int32

        /// Creates an item.
        package init(due: Int64, index: Int32) {
            self.due = due
            self.index = index
        }
    }

    private var items: [Item] = []

    /// An empty queue.
    package init() {}

    /// How many accounts are queued.
    package var count: Int { items.count }

    /// Whether none is.
    package var isEmpty: Bool { items.isEmpty }

    /// The account due first, without removing it.
    package var first: Item? { items.first }

    /// Adds an account.
    package mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the account due first.
    package mutating func pop() -> Item? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && Self.precedes(items[left], items[smallest]) { smallest = left }
            if right < items.count && Self.precedes(items[right], items[smallest]) { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    /// Makes every account due later than `limit` due at `now` instead; returns how many were.
    /// O(n log n), for the rare case of a wall clock gone back, never on a round's path.
    package mutating func pullIn(after limit: Int64, to now: Int64) -> Int {
        var moved = 0
        for position in items.indices where items[position].due > limit {
            items[position].due = now
            moved += 1
        }
        // A sorted array is a heap.
        if moved > 0 { items.sort(by: Self.precedes) }
        return moved
    }

    /// Earlier due first; the account listed first among equals, so a fresh start keeps the
    /// configured order.
    private static func precedes(_ lhs: Item, _ rhs: Item) -> Bool {
        lhs.due != rhs.due ? lhs.due < rhs.due : lhs.index < rhs.index
    }
}
