import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The advice of a full disk per kind of file: only rows are cut back to whole rows.
@Suite struct StorageErrorTests {
    @Test func aFullDiskTellsEachKindOfFileWhatIsKept() {
        let rows = StorageError(path: "data/x/2026-11/main.csv", operation: "write", errno: ENOSPC)
        #expect(rows.description.hasSuffix("(free disk space, then re-run: rows already written are intact)"))
        let state = StorageError(path: "state/schedule-main.tsv", operation: "write", errno: ENOSPC, kind: .state)
        #expect(state.description.hasSuffix("(free disk space, then re-run: the state saved before is kept)"))
        #expect(
            rows.about(.output).description.hasSuffix(
                "(free disk space, then re-run: nothing was replaced, an earlier file is kept as it was)"
            )
        )
    }
}
