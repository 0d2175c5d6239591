import Collector
import Testing

struct JSONReaderTests {
    private static let body = #"""
        {"code":0,"message":"0","data":{
            "mid":208259,"follower":86231,"following":"214","fans":"1.2万","rate":0.4123,"whole":12.0,
            "huge":"99999999999999999999","half":1.5,"name":"济南教育","flag":true,"none":null,"empty":null,
            "list":[{"bvid":"BV1a","play":10},{"bvid":"BV1b"}],"grid":[[1,2],[3]],"card":{"fans":5}
        }}
        """#

    private func makeReader() throws -> JSONReader {
        JSONReader(try JSONValue.parse(Self.body), origin: "bilibili /x/relation/stat")
    }

    // MARK: - Values

    @Test func readsIntegersAtDottedPaths() throws {
        let reader = try makeReader()
        #expect(try reader.int64("data.follower") == 86231)
        #expect(try reader.int64("code") == 0)
        #expect(try reader.int64("data.card.fans") == 5)
    }

    @Test func acceptsNumbersSentAsStringsAndWholeReals() throws {
        let reader = try makeReader()
        #expect(try reader.int64("data.following") == 214)
        #expect(try reader.int64("data.whole") == 12)
    }

    @Test func readsStringsAndIntegerIDsAsStrings() throws {
        let reader = try makeReader()
        #expect(try reader.string("data.name") == "济南教育")
        #expect(try reader.string("data.mid") == "208259")
    }

    /// An id is a string or an integer a stored file can hold: an empty one would store an
    /// item's counts as the account's own, a blank one or one with a line break or a backslash
    /// would break or split the stored rows (SPEC §4, §5).
    @Test(arguments: [
        (#""""#, "is empty, expected an id"),
        (#""  ""#, #"is "  ", an id with white space at its start or end"#),
        (#"" 12""#, #"is " 12", an id with white space at its start or end"#),
        (#""74800,00\n1""#, #"is "74800,00\n1", an id with a control character"#),
        (#""a\u2028b""#, #"is "a\u{2028}b", an id with a control character"#),
        (#""a\\b""#, #"is "a\b", an id with a backslash"#),
    ])
    func refusesIDsNoStoredFileCanHold(_ json: String, _ problem: String) throws {
        let reader = JSONReader(try JSONValue.parse(#"{"list":[{"item_id":\#(json)}]}"#), origin: "toutiao /item/list")
        let item = try #require(try reader.array("list").first)
        #expect {
            _ = try item.id("item_id")
        } throws: { error in
            let error = error as? JSONFieldError
            return error?.kind == .unstorableID && error?.path == "list[0].item_id"
                && error?.description.hasPrefix("toutiao /item/list: field \"list[0].item_id\" \(problem)") == true
        }
    }

    @Test func readsStorableIDsAsSent() throws {
        let reader = JSONReader(
            try JSONValue.parse(#"{"a":"7480000000000000001","b":7480000000000000001,"c":"BV1a 2","d":"视频"}"#),
            origin: "test"
        )
        #expect(try reader.id("a") == "7480000000000000001")
        #expect(try reader.id("b") == "7480000000000000001")
        #expect(try reader.id("c") == "BV1a 2")
        #expect(try reader.id("d") == "视频")
        #expect(throws: JSONFieldError.self) { try reader.id("none") }
    }

    @Test func readsOtherScalars() throws {
        let reader = try makeReader()
        #expect(try reader.double("data.rate") == 0.4123)
        #expect(try reader.double("data.follower") == 86231)
        #expect(try reader.bool("data.flag"))
    }

    @Test func treatsAbsentAndNullOptionalsAsNil() throws {
        let reader = try makeReader()
        #expect(try reader.optionalInt64("data.absent") == nil)
        #expect(try reader.optionalInt64("data.none") == nil)
        #expect(try reader.optionalInt64("nothing.at.all") == nil)
        #expect(try reader.optionalInt64("data.follower") == 86231)
        #expect(try reader.optionalString("data.none") == nil)
        #expect(try reader.optionalString("data.name") == "济南教育")
        #expect(try reader.optionalArray("data.empty") == nil)
        #expect(try reader.optionalArray("data.list")?.count == 2)
    }

    @Test func readsArrayElementsByIndexAndAsReaders() throws {
        let reader = try makeReader()
        #expect(try reader.string("data.list[1].bvid") == "BV1b")
        #expect(try reader.int64("data.grid[0][1]") == 2)
        let items = try reader.array("data.list")
        #expect(try items.map { try $0.string("bvid") } == ["BV1a", "BV1b"])
        #expect(items.map(\.basePath) == ["data.list[0]", "data.list[1]"])
    }

    @Test func takesBracketsThatAreNotIndicesAsPartOfTheMemberName() throws {
        let reader = JSONReader(
            try JSONValue.parse(#"{"a[x]":1,"k[1]b":2,"[2]z":3,"top":[[0,{"deep":4}]],"d":{"e":5}}"#),
            origin: "test"
        )
        #expect(try reader.int64("a[x]") == 1)
        #expect(try reader.int64("k[1]b") == 2)
        #expect(try reader.int64("[2]z") == 3)
        #expect(try reader.int64("top[0][1].deep") == 4)
        #expect(try reader.int64("d..e") == 5)
        #expect(try reader.child("top[0]").path("[1].deep") == "top[0][1].deep")
        #expect(try reader.array("top")[0].path("x") == "top[0].x")
    }

    @Test func returnsRawValuesAndNilForAbsentOnes() throws {
        let reader = try makeReader()
        #expect(reader.value("data.none") == .null)
        #expect(reader.value("data.card") == .object([JSONMember("fans", .integer(5))]))
        #expect(reader.value("data.absent") == nil)
        #expect(reader.value("") == reader.root)
    }

    // MARK: - Errors

    @Test func namesTheOriginAndFullPathOfAMissingField() throws {
        let error = #expect(throws: JSONFieldError.self) { try makeReader().int64("data.followers") }
        #expect(error?.kind == .missing)
        #expect(error?.path == "data.followers")
        #expect(error?.origin == "bilibili /x/relation/stat")
        #expect(
            error?.description
                == #"bilibili /x/relation/stat: field "data.followers" is missing (the platform may have changed its response)"#
        )
    }

    @Test func keepsTheFullPathInChildReaders() throws {
        let second = try makeReader().array("data.list")[1]
        let error = #expect(throws: JSONFieldError.self) { try second.int64("play") }
        #expect(
            error?.description
                == #"bilibili /x/relation/stat: field "data.list[1].play" is missing (the platform may have changed its response)"#
        )
        let card = try makeReader().child("data.card")
        #expect(card.basePath == "data.card")
        let cardError = #expect(throws: JSONFieldError.self) { try card.string("name") }
        #expect(cardError?.path == "data.card.name")
    }

    @Test(arguments: [
        (
            "data.none.fans",
            #"field "data.none.fans" is missing: "data.none" is null, not an object (the platform may have changed its response)"#
        ),
        (
            "data.list[5].bvid",
            #"field "data.list[5].bvid" is missing: "data.list" has 2 elements (the platform may have changed its response)"#
        ),
        (
            "data.name[0]",
            #"field "data.name[0]" is missing: "data.name" is a string, not an array (the platform may have changed its response)"#
        ),
    ])
    func explainsWhyANestedFieldIsMissing(path: String, expected: String) throws {
        let error = #expect(throws: JSONFieldError.self) { try makeReader().int64(path) }
        #expect(error?.kind == .missing)
        #expect(error?.description == "bilibili /x/relation/stat: " + expected)
    }

    @Test(arguments: [
        (
            "data.fans", JSONFieldError.Kind.wrongType,
            #"field "data.fans" is the string "1.2万", expected an integer (the platform may have changed its response)"#
        ),
        (
            "data.none", .wrongType,
            #"field "data.none" is null, expected an integer (the platform may have changed its response)"#
        ),
        (
            "data.list", .wrongType,
            #"field "data.list" is an array, expected an integer (the platform may have changed its response)"#
        ),
        ("data.half", .outOfRange, #"field "data.half" is 1.5, expected an integer"#),
        (
            "data.huge", .outOfRange,
            #"field "data.huge" is the string "99999999999999999999", beyond the 64-bit integer range"#
        ),
    ])
    func explainsWhyAValueIsNotAnInteger(path: String, kind: JSONFieldError.Kind, expected: String) throws {
        let error = #expect(throws: JSONFieldError.self) { try makeReader().int64(path) }
        #expect(error?.kind == kind)
        #expect(error?.description == "bilibili /x/relation/stat: " + expected)
    }

    @Test func refusesOtherTypesForStringsArraysAndChildren() throws {
        let reader = try makeReader()
        let stringError = #expect(throws: JSONFieldError.self) { try reader.string("data.flag") }
        #expect(stringError?.problem == "is true, expected a string (the platform may have changed its response)")
        let arrayError = #expect(throws: JSONFieldError.self) { try reader.array("data.empty") }
        #expect(arrayError?.problem == "is null, expected an array (the platform may have changed its response)")
        let childError = #expect(throws: JSONFieldError.self) { try reader.child("data.follower") }
        #expect(
            childError?.problem
                == "is the integer 86231, expected an object (the platform may have changed its response)"
        )
        let optionalError = #expect(throws: JSONFieldError.self) { try reader.optionalInt64("data.name") }
        #expect(optionalError?.kind == .wrongType)
    }

    @Test func becomesASchemaChangedAdapterError() throws {
        let error = #expect(throws: JSONFieldError.self) { try makeReader().int64("data.gone") }
        let adapterError = try #require(error?.adapterError)
        #expect(adapterError.label == "schemaChanged")
        #expect(adapterError.message == error?.description)
    }
}
