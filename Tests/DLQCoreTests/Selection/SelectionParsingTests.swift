#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DLQCore
import Testing

/// The selection language as operators write it: each field, alternatives, quoting, errors, and the canonical
/// text that reads back to the same selection.
@Suite("Selection parsing")
struct SelectionParsingTests {
    /// 2026-01-31T12:00:00Z.
    private let now = Date(timeIntervalSince1970: 1_769_860_800)

    private func parse(_ text: String) throws -> DeadLetterSelection {
        try DeadLetterSelection(parsing: text, now: now)
    }

    private func error(_ text: String) -> SelectionSyntaxError? {
        do {
            _ = try DeadLetterSelection(parsing: text, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test("an empty text selects everything")
    func empty() throws {
        #expect(try parse("  \t ").isEverything)
    }

    @Test("ids and ranges")
    func ids() throws {
        #expect(try parse("id=12").ids == [12...12])
        #expect(try parse("id=10-20,35").ids == [10...20, 35...35])
        #expect(try parse("id=1 id=5-6").ids == [1...1, 5...6])
    }

    @Test("topics, classes, exceptions and the topic alias")
    func textFields() throws {
        let selection = try parse("dlq_topic=orders.dlq original_topic=orders topic=payments class=transient exception=com.acme.Boom")
        #expect(selection.dlqTopics == ["orders.dlq"])
        #expect(selection.originalTopics == ["orders", "payments"])
        #expect(selection.errorClasses == ["transient"])
        #expect(selection.exceptionClasses == ["com.acme.Boom"])
    }

    @Test("fingerprints are hex prefixes, lower-cased")
    func fingerprints() throws {
        #expect(try parse("fingerprint=3F9A2c").fingerprints == ["3f9a2c"])
        #expect(error("fingerprint=3f9z")?.expected.contains("hex") == true)
    }

    @Test("statuses, formats and trace ids")
    func enumerations() throws {
        let selection = try parse("status=new,replayed format=spring,json_envelope trace=4BF92F3577B34DA6A3CE929D0E0E4736")
        #expect(selection.statuses == [.new, .replayed])
        #expect(selection.formats == [.spring, .jsonEnvelope])
        #expect(selection.traceIDs == ["4bf92f3577b34da6a3ce929d0e0e4736"])
    }

    @Test("keys and headers, quoted with escapes")
    func quoting() throws {
        let selection = try parse(#"key="order \"7\"" header.tenant="acme corp" header.x-region=eu key="""#)
        #expect(selection.keys == [#"order "7""#, ""])
        #expect(selection.headers == [.init(name: "tenant", value: "acme corp"), .init(name: "x-region", value: "eu")])
        #expect(try parse(#"header."odd name"=v"#).headers == [.init(name: "odd name", value: "v")])
        #expect(try parse(#"key="a,b",c"#).keys == ["a,b", "c"])
    }

    @Test("repeating a value adds nothing")
    func duplicates() throws {
        #expect(try parse("status=new status=new,resolved").statuses == [.new, .resolved])
    }

    @Test("since and until take dates, date-times and ages")
    func times() throws {
        #expect(try parse("since=2026-01-30").since == Date(timeIntervalSince1970: 1_769_731_200))
        #expect(try parse("until=2026-01-31T10:00:00Z").until == Date(timeIntervalSince1970: 1_769_853_600))
        #expect(try parse("since=2026-01-31T11:00:00+01:00").since == Date(timeIntervalSince1970: 1_769_853_600))
        #expect(try parse("since=90s").since == now.addingTimeInterval(-90))
        #expect(try parse("since=15m").since == now.addingTimeInterval(-900))
        #expect(try parse("since=2h").since == now.addingTimeInterval(-7200))
        #expect(try parse("since=7d").since == now.addingTimeInterval(-7 * 86_400))
    }

    @Test("an unknown field lists the known ones")
    func unknownField() {
        let failure = error("colour=red")
        #expect(failure?.term == "colour=red")
        #expect(failure?.expected.contains("original_topic") == true)
    }

    @Test("a bad status lists the valid ones")
    func badStatus() {
        let failure = error("status=new,replaying")
        #expect(failure?.expected.contains("new, replayed, resolved") == true)
        #expect(failure?.term == "status=new,replaying")
    }

    @Test(arguments: [
        ("topic=", "value"),
        ("topic=a,,b", "value"),
        (#"topic="""#, "empty"),
        ("orders", "field=value"),
        (#"key="abc"#, "unterminated"),
        (#"key="a\qb""#, "escape"),
        (#"key=a"b""#, "quote"),
        (#"key="a"b"#, "after a quoted value"),
        ("id=20-10", "reversed"),
        ("id=abc", "range"),
        ("id=99999999999999999999", "range"),
        ("id=-5", "range"),
        ("trace=abc", "32 hex digits"),
        ("format=avro", "json_envelope"),
        ("since=yesterday", "ISO-8601"),
        ("since=1h since=2h", "at most once"),
        ("until=1h,2h", "one time"),
        ("since=99999999999d", "age"),
        ("header.=x", "header name"),
        ("header.a=x,y", "one value per header"),
    ])
    func errors(text: String, expected: String) {
        let failure = error(text)
        #expect(failure != nil, "\(text) parsed")
        #expect(failure?.expected.contains(expected) == true, "\(failure?.description ?? "")")
    }

    @Test("an error names the term, not the whole text")
    func errorNamesTerm() {
        #expect(error("topic=orders status=done class=x")?.term == "status=done")
    }

    @Test("the canonical text is stable and reads back to an equal selection")
    func canonical() throws {
        let selection = try parse(#"status=new until=1h topic=orders id=35,10-20 header.tenant="acme \"corp\"" key="" since=2026-01-30"#)
        #expect(selection.description == #"id=35,10-20 original_topic=orders status=new key="" header.tenant="acme \"corp\"" since=2026-01-30T00:00:00Z until=2026-01-31T11:00:00Z"#)
        #expect(try parse(selection.description) == selection)
    }

    @Test("times keep milliseconds in the canonical text")
    func milliseconds() throws {
        let selection = try parse("since=2026-01-31T12:34:56.789Z")
        #expect(selection.description == "since=2026-01-31T12:34:56.789Z")
        #expect(try parse(selection.description) == selection)
    }

    @Test("values needing quotes round-trip: spaces, quotes, commas, backslashes, newlines, a leading combining mark")
    func quotingRoundTrip() throws {
        var selection = DeadLetterSelection()
        selection.keys = ["a b", #"q"uote"#, "x,y", #"back\slash"#, "line\nbreak\ttab\r", "\u{301}mark", "", "a=b"]
        selection.headers = [.init(name: "weird name=\"", value: "v\u{2028}w")]
        #expect(try parse(selection.description) == selection)
    }

    @Test("random input never crashes, and whatever parses reads back from its canonical text")
    func randomInput() throws {
        var random = SeededGenerator(seed: 0x5EED_D1_0C)
        let pieces = [
            "id=", "dlq_topic=", "original_topic=", "topic=", "class=", "exception=", "fingerprint=", "status=",
            "format=", "key=", "header.", "trace=", "since=", "until=", "new", "replayed", "resolved", "spring",
            "raw", "12", "10-20", "-", ",", " ", "  ", "\t", "\"", "\\", "\\\"", "=", "a", "Z", "orders", "7d", "2h",
            "90s", "2026-01-31", "2026-01-31T12:00:00Z", "T", ":", ".", "é", "\u{301}", "😀", "\u{0}", "\n",
            "4bf92f3577b34da6a3ce929d0e0e4736", "3f9a", "x", "ÿ", "İD=", "99999999999999999999",
        ]
        var parsed = 0
        for _ in 0..<fuzzIterations(20_000) {
            var text = ""
            for _ in 0..<random.next(below: 12) {
                if random.next(below: 5) == 0 {
                    text.unicodeScalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: random.next(below: 256))))
                } else {
                    text += pieces[random.next(below: pieces.count)]
                }
            }
            guard let selection = try? DeadLetterSelection(parsing: text, now: now) else { continue }
            parsed += 1
            let again = try DeadLetterSelection(parsing: selection.description, now: now)
            #expect(again == selection, "\(text.debugDescription) -> \(selection.description.debugDescription)")
        }
        // Most random texts are errors; enough must parse for the round trip to have been exercised.
        #expect(parsed > 1000)
    }
}
