import Collector
import Testing

/// The line a failure gets in the summary: the place once, then the label and the message.
struct CollectionFailureTests {
    private func line(account: String, object: String? = nil, _ message: String) -> String {
        CollectionFailure(adapter: "import", account: account, object: object, label: "badCell", message: message)
            .description
    }

    @Test func anImportMessageDoesNotRepeatTheFileAndLineTheSummaryNames() {
        #expect(
            line(account: "x.csv", object: "line 5", "x.csv:5: column 粉丝数: \"abc\" is not a count")
                == "import/x.csv [line 5]: badCell: column 粉丝数: \"abc\" is not a count"
        )
        #expect(line(account: "x.csv", "x.csv: the file is empty") == "import/x.csv: badCell: the file is empty")
        // A line the summary does not name stays, in words.
        #expect(
            line(account: "x.csv", "x.csv:12: a quoted cell is never closed")
                == "import/x.csv: badCell: line 12: a quoted cell is never closed"
        )
    }

    @Test func anAbsolutePathIsNotJoinedWithASecondSlash() {
        #expect(line(account: "/srv/x.csv", "/srv/x.csv: cannot open") == "import /srv/x.csv: badCell: cannot open")
    }

    @Test func anAccountsMessageIsLeftAsItIs() {
        let failure = CollectionFailure(
            adapter: "bilibili",
            account: "208259",
            label: "rateLimited",
            platformCode: "-799",
            message: "api.bilibili.com/x/relation/stat: too many requests"
        )
        #expect(
            failure.description
                == "bilibili/208259: rateLimited (code -799): api.bilibili.com/x/relation/stat: too many requests"
        )
    }
}
