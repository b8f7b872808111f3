import DLQCore
import Testing

@Suite("Raw records and original topic rules")
struct RawFormatTests {
    @Test(arguments: [
        ("orders.dlq", "orders"),
        ("orders-dlq", "orders"),
        ("orders.DLT", "orders"),
        ("orders-dlt", "orders"),
        ("eu.payments.v2.dlq", "eu.payments.v2"),
    ])
    func dlqSuffixIsStrippedForTheOriginalTopic(dlqTopic: String, originalTopic: String) {
        let letter = decodeRecord(topic: dlqTopic, value: [0xCA, 0xFE])
        #expect(letter.format == .raw)
        #expect(letter.originalTopic == originalTopic)
    }

    @Test func noMatchingSuffixLeavesTheOriginalTopicUnknown() {
        #expect(decodeRecord(topic: "orders-failed", value: [0xCA, 0xFE]).originalTopic == nil)
    }

    @Test func suffixMatchingIsCaseSensitive() {
        #expect(decodeRecord(topic: "orders.DLQ", value: nil).originalTopic == nil)
    }

    @Test func aTopicThatIsOnlyTheSuffixHasNoOriginal() {
        #expect(decodeRecord(topic: ".dlq", value: nil).originalTopic == nil)
    }

    @Test func configuredSuffixesReplaceTheDefaults() {
        let rules = OriginalTopicRules(suffixes: ["_failed"])
        #expect(decodeRecord(topic: "orders_failed", value: nil, rules: rules).originalTopic == "orders")
        #expect(decodeRecord(topic: "orders.dlq", value: nil, rules: rules).originalTopic == nil)
    }

    @Test func rawBytesAreKeptUntouched() {
        let value: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x65, 0xFF, 0x10]
        let letter = decodeRecord(key: [0x01], value: value, headers: [header("x-custom", bytes: [0x80])])
        #expect(letter.value == value)
        #expect(letter.key == [0x01])
        #expect(letter.headers == [header("x-custom", bytes: [0x80])])
        #expect(letter.originalEventRange == nil)
        #expect(letter.originalEvent == value)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func validJSONThatIsNotAnEnvelopeIsRawWithoutNotes() {
        let letter = decodeRecord(value: #"{"orderId":4711}"#.utf8Bytes)
        #expect(letter.format == .raw)
        #expect(letter.decodeNotes.isEmpty)
    }
}
