import DLQCore
import Testing

/// Invariant 3, "any bytes": hostile records decode without crashing, and what could not be decoded is flagged.
@Suite("Hostile and malformed records")
struct HostileInputTests {
    @Test func invalidJSONThatLooksLikeJSONIsNoted() {
        let letter = decodeRecord(value: #"{"originalEvent": {"id": 1,}, "failureMetadata": {}}"#.utf8Bytes)
        #expect(letter.format == .raw)
        #expect(letter.decodeNotes == ["value is not valid JSON: unexpected '}', expected a member name string at byte 27"])
    }

    @Test func invalidJSONFallsThroughToHeaderFormats() {
        let letter = decodeRecord(value: "{not json".utf8Bytes, headers: [header("__streams.errors.exception", "E")])
        #expect(letter.format == .streams)
        #expect(letter.decodeNotes.count == 1)
    }

    @Test func textThatDoesNotStartLikeAnObjectIsNotNoted() {
        let letter = decodeRecord(value: "order 4711 failed".utf8Bytes)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func invalidUTF8InAJSONValueIsNoted() {
        let value: [UInt8] = #"{"originalEvent":"caf"#.utf8Bytes + [0xC3, 0x28] + #"","failureMetadata":{}}"#.utf8Bytes
        let letter = decodeRecord(value: value)
        #expect(letter.format == .raw)
        #expect(letter.value == value)
        #expect(letter.decodeNotes == ["value is not valid JSON: invalid UTF-8 in string at byte 21"])
    }

    @Test func invalidUTF8InAHeaderValueIsRepairedAndNoted() {
        let letter = decodeRecord(value: nil, headers: [
            header("kafka_dlt-exception-message", bytes: "Card declined ".utf8Bytes + [0xFF, 0xFE] + " for order".utf8Bytes),
        ])
        #expect(letter.errorMessage == "Card declined \u{FFFD}\u{FFFD} for order")
        #expect(letter.decodeNotes == ["header kafka_dlt-exception-message: invalid UTF-8 replaced with U+FFFD"])
    }

    @Test func nulInAnExceptionMessageHeaderIsStrippedAndNoted() {
        let letter = decodeRecord(value: nil, headers: [
            header("kafka_dlt-exception-message", bytes: "Card\u{0}declined".utf8Bytes + [0x00]),
        ])
        #expect(letter.errorMessage == "Carddeclined")
        #expect(letter.decodeNotes == ["header kafka_dlt-exception-message: NUL characters removed"])
    }

    @Test func nullKeyAndNullValueDecode() {
        let letter = decodeRecord(topic: "orders.dlq", key: nil, value: nil)
        #expect(letter.key == nil)
        #expect(letter.value == nil)
        #expect(letter.originalEvent == nil)
        #expect(letter.format == .raw)
        #expect(letter.originalTopic == "orders")
    }

    @Test func emptyValueIsNotNull() {
        let letter = decodeRecord(value: [])
        #expect(letter.value == [])
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func nullHeaderValuesAreKeptAndIgnored() {
        let letter = decodeRecord(value: nil, headers: [RecordHeader(name: "kafka_dlt-exception-message", value: nil)])
        #expect(letter.format == .spring)
        #expect(letter.errorMessage == nil)
        #expect(letter.headers == [RecordHeader(name: "kafka_dlt-exception-message", value: nil)])
    }

    @Test func oneMegabyteEnvelopeDecodes() throws {
        let padding = String(repeating: "x", count: 1 << 20)
        let value = #"{"originalEvent":{"blob":"\#(padding)"},"failureMetadata":{"attemptCount":1}}"#.utf8Bytes
        let letter = decodeRecord(value: value)
        #expect(letter.format == .jsonEnvelope)
        let range = try #require(letter.originalEventRange)
        #expect(range.count == padding.utf8.count + 11)
    }

    @Test func oneMegabyteBinaryValueDecodes() {
        let value = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let letter = decodeRecord(value: value)
        #expect(letter.value?.count == 1 << 20)
        #expect(letter.format == .raw)
    }

    @Test func binaryHeaderValuesWithAllByteValuesDecode() {
        let allBytes = (0...255).map { UInt8($0) }
        let letter = decodeRecord(value: nil, headers: [
            header("kafka_dlt-exception-message", bytes: allBytes),
            header("kafka_dlt-original-partition", bytes: allBytes),
            header("traceparent", bytes: allBytes),
            header("x-opaque", bytes: allBytes),
        ])
        #expect(letter.format == .spring)
        #expect(letter.errorMessage.map(isStorableInPostgres) == true)
        #expect(letter.originalPartition == nil)
        #expect(letter.traceID == nil)
        #expect(letter.headers[3].value == allBytes)
        #expect(letter.decodeNotes == [
            "header kafka_dlt-original-partition: expected a 4-byte big-endian integer, got 256 bytes; ignored",
            "header kafka_dlt-exception-message: invalid UTF-8 replaced with U+FFFD and NUL characters removed",
            "header traceparent: not valid UTF-8; ignored",
        ])
    }

    @Test func tenThousandNestedArraysAsTheWholeValueDecode() {
        let value = Array(repeating: UInt8(ascii: "["), count: 10_000) + Array(repeating: UInt8(ascii: "]"), count: 10_000)
        let letter = decodeRecord(value: value)
        #expect(letter.format == .raw)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func tenThousandNestedObjectsAsTheWholeValueDecode() {
        let value = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let letter = decodeRecord(value: value.utf8Bytes)
        #expect(letter.format == .raw)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func unterminatedDeepNestingIsNotedNotCrashed() {
        let value = String(repeating: #"{"a":["#, count: 50_000)
        let letter = decodeRecord(value: value.utf8Bytes)
        #expect(letter.format == .raw)
        #expect(letter.decodeNotes == ["value is not valid JSON: unexpected end of input, expected a value at byte \(value.utf8.count)"])
    }

    @Test func tenThousandNestedArraysInsideOriginalEventStillAnEnvelope() throws {
        let event = String(repeating: "[", count: 10_000) + "4711" + String(repeating: "]", count: 10_000)
        let value = #"{"originalEvent": \#(event) ,"failureMetadata":{"attemptCount":2}}"#.utf8Bytes
        let letter = decodeRecord(value: value)
        #expect(letter.format == .jsonEnvelope)
        #expect(letter.attemptCount == 2)
        let range = try #require(letter.originalEventRange)
        #expect(Array(value[range]) == event.utf8Bytes)
    }

    @Test func deepNestingInsideFailureMetadataIsBoundedAndNoted() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let value = #"{"originalEvent":{},"failureMetadata":{"attemptCount":1,"lastError":{"message":"m","stackTrace":\#(deep)}}}"#
        let letter = decodeRecord(value: value.utf8Bytes)
        #expect(letter.format == .jsonEnvelope)
        #expect(letter.attemptCount == 1)
        #expect(letter.errorMessage == "m")
        #expect(letter.stackTrace == nil)
        #expect(letter.decodeNotes == ["failureMetadata.lastError.stackTrace: 1 frames are not strings; skipped"])
    }

    /// Random and mutated records: nothing traps and every stored string is storable.
    @Test func randomRecordsAlwaysDecodeToStorableText() {
        var state: UInt64 = 0xD1CE
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        let templates = EnvelopeFormat.allCases.map {
            SampleDeadLetters.make(format: $0, index: 1, dlqTopic: "orders.dlq", approximateValueSize: 300)
        }
        for round in 0..<600 {
            var record = templates[round % templates.count]
            var value = record.value ?? []
            for _ in 0..<(1 + Int(next() % 6)) where !value.isEmpty {
                value[Int(next() % UInt64(value.count))] = UInt8(truncatingIfNeeded: next())
            }
            record.headers = record.headers.map { h in
                guard var bytes = h.value, !bytes.isEmpty, next() % 3 == 0 else { return h }
                bytes[Int(next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: next() % 4 == 0 ? 0 : next())
                return RecordHeader(name: h.name, value: bytes)
            }
            let letter = decodeRecord(value: value, headers: record.headers)
            #expect(storedStrings(letter).allSatisfy(isStorableInPostgres))
            if let range = letter.originalEventRange {
                #expect(range.lowerBound >= 0 && range.upperBound <= value.count)
            }
        }
    }
}
