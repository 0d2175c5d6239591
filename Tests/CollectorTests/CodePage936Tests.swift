import Collector
import Testing

/// What an Excel re-save in code page 936 (GBK) keeps of a title (docs/imports.md, Douyin).
struct CodePage936Tests {
    @Test(arguments: [
        ("期末加油🎉💪 #高考", "期末加油? #高考"),
        ("期末加油?? #高考", "期末加油? #高考"),
        ("期末加油? #高考", "期末加油? #高考"),
        ("点赞👍🏻了", "点赞?了"),
        ("全家👨‍👩‍👧出游", "全家?出游"),
        ("没有表情，“引号”、全角（括号）·间隔号", "没有表情，“引号”、全角（括号）·间隔号"),
        ("plain ASCII", "plain ASCII"),
    ])
    func foldsEveryRunOfLostCharactersAndQuestionMarksIntoOne(text: String, folded: String) {
        #expect(CodePage936.folded(text) == folded)
    }

    @Test func tellsWhichTextsAReSaveMayHaveChanged() {
        #expect(CodePage936.mayDifferAcrossResave("期末加油🎉"))
        #expect(CodePage936.mayDifferAcrossResave("期末加油?"))
        #expect(!CodePage936.mayDifferAcrossResave("期末加油！"))
        #expect(CodePage936.holdsAll("期末加油?"))
        #expect(!CodePage936.holdsAll("期末加油🎉"))
    }
}
