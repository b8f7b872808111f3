@testable import DLQCore
import Testing

/// Counts events so validation can be tested without building values.
private struct EventCounter: JSONEventHandler {
    var containers = 0
    var scalars = 0
    mutating func beginContainer(_ kind: JSONContainerKind, at offset: Int) { containers += 1 }
    mutating func endContainer(_ kind: JSONContainerKind, end: Int, in bytes: UnsafeBufferPointer<UInt8>) {}
    mutating func memberName(_ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) {}
    mutating func scalar(_ kind: JSONScalarKind, _ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) { scalars += 1 }
}

private func validate(_ bytes: [UInt8]) -> JSONSyntaxError? {
    var counter = EventCounter()
    if case .failure(let error) = JSONScanner.scan(bytes, handler: &counter) { return error }
    return nil
}

@Suite("RFC 8259 scanner")
struct JSONScannerTests {
    @Test(arguments: [
        "{}", "[]", " \t\r\n{} ", "0", "-0", "-0.0e+0", "1E9", "123.456e-7", "\"\"", "true", "false", "null",
        #"{"a":[1,{"b":null}],"c":"\u00e9\ud83d\ude00\n\"\\\/"}"#, "[[[[]]]]", #"{"":{}}"#, "\"caf\u{E9} \u{1F600}\"",
    ])
    func acceptsValidJSON(text: String) {
        #expect(validate(text.utf8Bytes) == nil)
    }

    @Test(arguments: [
        ("", "unexpected end of input, expected a value", 0),
        ("{", "unexpected end of input, expected a member name", 1),
        ("[1,]", "unexpected ']', expected a value", 3),
        (#"{"a":1,}"#, "unexpected '}', expected a member name string", 7),
        ("{a:1}", "unexpected 'a', expected a member name string", 1),
        (#"{"a" 1}"#, "unexpected '1', expected ':'", 5),
        ("01", "unexpected '1' after the JSON value", 1),
        ("-", "invalid number", 1),
        ("1.", "invalid number", 2),
        ("1e", "invalid number", 2),
        ("+1", "unexpected '+', expected a value", 0),
        ("tru", "invalid literal, expected true", 0),
        ("nul l", "invalid literal, expected null", 0),
        (#""abc"#, "unterminated string", 0),
        (#""a\x""#, "invalid escape sequence", 2),
        (#""\u12G4""#, "invalid hex digit in \\u escape", 5),
        ("\"a\tb\"", "unescaped control character in string", 2),
        ("[1] [2]", "unexpected '[' after the JSON value", 4),
        ("{} x", "unexpected 'x' after the JSON value", 3),
        ("[1 2]", "unexpected '2', expected ',' or ']'", 3),
        ("NaN", "unexpected 'N', expected a value", 0),
    ])
    func rejectsInvalidJSONWithReasonAndOffset(text: String, reason: String, offset: Int) {
        #expect(validate(text.utf8Bytes) == JSONSyntaxError(reason: reason, offset: offset))
    }

    @Test(arguments: [
        [0x22, 0xC0, 0xAF, 0x22],             // overlong '/'
        [0x22, 0xED, 0xA0, 0x80, 0x22],       // encoded surrogate
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], // beyond U+10FFFF
        [0x22, 0xE2, 0x82, 0x22],             // truncated sequence
        [0x22, 0x80, 0x22],                   // lone continuation byte
        [0x22, 0xFF, 0x22],
    ] as [[UInt8]])
    func rejectsInvalidUTF8InStrings(bytes: [UInt8]) {
        #expect(validate(bytes) == JSONSyntaxError(reason: "invalid UTF-8 in string", offset: 1))
    }

    @Test func rejectsByteOrderMark() {
        #expect(validate([0xEF, 0xBB, 0xBF] + "{}".utf8Bytes) != nil)
    }

    @Test func reportsTopLevelMemberValueRangesExactly() throws {
        let text = #"{ "a" : [1, {"x":2}] , "b":"s\"t", "c":-1.5e3 ,"d":{} }"#
        let bytes = text.utf8Bytes
        let collector = try JSONMemberCollector.collect(bytes).get()
        let slices = collector.members.map { ($0.name, String(decoding: bytes[$0.valueRange], as: UTF8.self)) }
        #expect(slices.map(\.0) == ["a", "b", "c", "d"])
        #expect(slices.map(\.1) == [#"[1, {"x":2}]"#, #""s\"t""#, "-1.5e3", "{}"])
    }

    @Test func rootArrayHasNoMembers() throws {
        let collector = try JSONMemberCollector.collect(#"[{"a":1}]"#.utf8Bytes).get()
        #expect(collector.rootKind == .array)
        #expect(collector.members.isEmpty)
    }

    @Test func scansASubrange() throws {
        let bytes = #"xx{"a":1}yy"#.utf8Bytes
        let collector = try JSONMemberCollector.collect(bytes, range: 2..<9).get()
        #expect(collector.members == [JSONMemberSpan(name: "a", valueRange: 7..<8)])
    }

    @Test func hundredThousandLevelsDoNotExhaustTheStack() {
        let bytes = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        #expect(validate(bytes) == nil)
    }

    @Test func builderDecodesEscapesAndSurrogatePairs() throws {
        let built = try JSONValueBuilder.parse(#"{"s":"a\u00e9\ud83d\ude00\t\"\/","n":-1.50}"#.utf8Bytes).get()
        guard case .string(let s)? = built.root?[member: "s"], case .number(let n)? = built.root?[member: "n"] else {
            Issue.record("unexpected shape")
            return
        }
        #expect(s == "a\u{E9}\u{1F600}\t\"/")
        #expect(n == "-1.50")
        #expect(built.replacedLoneSurrogate == false)
    }

    @Test func builderReplacesLoneSurrogatesAndSaysSo() throws {
        let built = try JSONValueBuilder.parse(#""x\ud800y\udc00""#.utf8Bytes).get()
        guard case .string(let s)? = built.root else {
            Issue.record("not a string")
            return
        }
        #expect(s == "x\u{FFFD}y\u{FFFD}")
        #expect(built.replacedLoneSurrogate)
    }

    @Test func builderStopsMaterialisingBelowItsDepthLimit() throws {
        let built = try JSONValueBuilder.parse("[[[[1]]],2]".utf8Bytes, maxDepth: 2).get()
        guard case .array(let outer)? = built.root, case .array(let inner) = outer[0], case .tooDeep = inner[0] else {
            Issue.record("expected the third level to be cut")
            return
        }
        #expect(outer.count == 2)
    }
}
