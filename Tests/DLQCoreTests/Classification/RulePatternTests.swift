@testable import DLQCore
import Testing

@Suite("Rule patterns")
struct RulePatternTests {
    private static let literalShapes = [
        #"com\.acme\.OrderRejectedException"#, ".*Exception", #"com\.fasterxml\..*"#, ".*Timeout.*", ".*", ".*.*",
        "orders|payments", "orders|", "timed out|connection reset", "^Expected", "^", "a b", #"\(x\)\[\]\{\}\*\+\?\|\^\$\\"#,
        "key=value; #1, @x & y/z ~ !% <a>", #"\-\_\,"#,
    ]

    private static let texts = [
        "", "a", "orders", "payments", "orders-v2", "xorders", "com.acme.OrderRejectedException", "comXacmeXOrderRejectedException",
        "java.net.SocketTimeoutException", "Timeout", "Read Timeout\nlater", "Expected x", "not Expected", "timed out after 5 ms",
        "x\u{85}Timeout", "x\u{2028}Timeout", "x\u{2029}Exception", "x\u{0B}Exception", "x\u{0C}Exception", "x\rException",
        "com.fasterxml.jackson", "com.fasterxml.\n", "a b", #"(x)[]{}*+?|^$\"#, "key=value; #1, @x & y/z ~ !% <a>", "-_,",
        "Grüße Exception", "Exception\n",
    ]

    @Test(arguments: [RulePattern.Anchoring.wholeText, .anywhere])
    func literalShapesAgreeWithICU(anchoring: RulePattern.Anchoring) throws {
        for source in Self.literalShapes {
            let pattern = try RulePattern(source, anchoring: anchoring, rule: "r", field: "f")
            // `^` is only a literal shape when searching.
            #expect(pattern.usesLiteralPath || (anchoring == .wholeText && source.hasPrefix("^")), "\(source)")
            for text in Self.texts {
                #expect(pattern.matches(text) == pattern.matchesWithICU(text), "\(source) on \(text.debugDescription)")
            }
        }
    }

    @Test(arguments: [#"\d+"#, "(?i)timeout", "a.*b", "[ab]", "colou?r", "a+", "x{2}", #"\bword"#, "end$", "^.*x", "é", "a.b"])
    func otherPatternsAreLeftToICU(source: String) throws {
        #expect(try !RulePattern(source, anchoring: .anywhere, rule: "r", field: "f").usesLiteralPath)
    }

    @Test func anExtendedModePatternEndingInACommentIsAnchoredToo() throws {
        let pattern = try RulePattern("(?x) orders \\. v \\d  # the versioned topics", anchoring: .wholeText, rule: "r", field: "f")
        #expect(pattern.matches("orders.v2"))
        #expect(!pattern.matches("orders.v2-old"))
    }

    @Test func unbalancedPatternsAreRejectedEvenThoughWrappingWouldBalanceThem() {
        // `a)|(b` inside `\A(?:` … `)\z` would compile; the operator's pattern alone does not.
        #expect(throws: ClassificationRuleError.self) {
            try RulePattern("a)|(b", anchoring: .wholeText, rule: "r", field: "f")
        }
    }
}
