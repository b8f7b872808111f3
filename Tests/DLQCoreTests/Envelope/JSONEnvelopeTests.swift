#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DLQCore
import Testing

@Suite("JSON envelope: originalEvent + failureMetadata")
struct JSONEnvelopeTests {
    /// Escapes, odd spacing and an exponent: a re-encoding would differ from these bytes.
    static let event = #"{ "orderId" :4711,"note":"caf\u00e9 \"quoted\" \/ slash","total": 1.50E+2 ,"tags":[ ] }"#
    static let metadata = """
        {"consumer":"order-fulfilment-1","consumerGroup":"order-fulfilment","attemptCount":3,
         "lastError":{"class":"java.net.SocketTimeoutException","message":"Read timed out",
                      "stackTrace":"java.net.SocketTimeoutException: Read timed out\\n\\tat com.acme.Inventory.reserve(Inventory.java:88)"},
         "lastAttemptAt":"2026-01-31T12:34:56.789Z","originalTopic":"orders","originalPartition":7,"originalOffset":12345}
        """
    static let envelope = "{\n  \"failureMetadata\" : \(metadata),\r\n\t\"originalEvent\"\t:  \(event)  \n}"

    func envelope(metadata: String, event: String = #"{"id":1}"#) -> [UInt8] {
        #"{"originalEvent":\#(event),"failureMetadata":\#(metadata)}"#.utf8Bytes
    }

    @Test func isRecognisedAsJSONEnvelope() {
        #expect(decodeRecord(value: Self.envelope.utf8Bytes).format == .jsonEnvelope)
    }

    @Test func originalEventRangeSlicesExactlyTheOriginalEventBytes() throws {
        let value = Self.envelope.utf8Bytes
        let range = try #require(decodeRecord(value: value).originalEventRange)
        #expect(Array(value[range]) == Self.event.utf8Bytes)
    }

    @Test func replayBytesAreTheOriginalEventSlice() {
        #expect(decodeRecord(value: Self.envelope.utf8Bytes).originalEvent == Self.event.utf8Bytes)
    }

    @Test func stringOriginalEventRangeCoversTheTokenIncludingQuotes() throws {
        let value = #"{"originalEvent" : "order \"4711\" \u00e9" , "failureMetadata":{}}"#.utf8Bytes
        let range = try #require(decodeRecord(value: value).originalEventRange)
        #expect(Array(value[range]) == #""order \"4711\" \u00e9""#.utf8Bytes)
    }

    @Test func scalarOriginalEventRangeCoversTheNumberToken() throws {
        let value = envelope(metadata: "{}", event: "-12.5e3")
        let range = try #require(decodeRecord(value: value).originalEventRange)
        #expect(Array(value[range]) == "-12.5e3".utf8Bytes)
    }

    @Test func readsConsumerGroupAndAttempts() {
        let letter = decodeRecord(value: Self.envelope.utf8Bytes)
        #expect(letter.consumer == "order-fulfilment-1")
        #expect(letter.consumerGroup == "order-fulfilment")
        #expect(letter.attemptCount == 3)
    }

    @Test func readsLastErrorObject() {
        let letter = decodeRecord(value: Self.envelope.utf8Bytes)
        #expect(letter.exceptionClass == "java.net.SocketTimeoutException")
        #expect(letter.errorMessage == "Read timed out")
        #expect(letter.stackTrace == "java.net.SocketTimeoutException: Read timed out\n\tat com.acme.Inventory.reserve(Inventory.java:88)")
    }

    @Test func readsOriginalCoordinate() {
        let letter = decodeRecord(topic: "fulfilment-dlq", value: Self.envelope.utf8Bytes)
        #expect(letter.originalTopic == "orders")
        #expect(letter.originalPartition == 7)
        #expect(letter.originalOffset == 12345)
    }

    @Test func lastAttemptAtISO8601IsTheFailureTime() {
        let letter = decodeRecord(value: Self.envelope.utf8Bytes)
        #expect(letter.failedAt == Date(timeIntervalSince1970: 1_769_862_896.789))
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func lastAttemptAtEpochMillisIsTheFailureTime() {
        let letter = decodeRecord(value: envelope(metadata: #"{"lastAttemptAt":1769862896789}"#))
        #expect(letter.failedAt == Date(timeIntervalSince1970: 1_769_862_896.789))
    }

    @Test func lastErrorStringIsTheErrorMessage() {
        let letter = decodeRecord(value: envelope(metadata: #"{"lastError":"java.lang.IllegalStateException: boom"}"#))
        #expect(letter.errorMessage == "java.lang.IllegalStateException: boom")
        #expect(letter.exceptionClass == nil)
    }

    @Test func lastErrorObjectMayUseTypeAndStackFrames() {
        let letter = decodeRecord(value: envelope(metadata: #"{"lastError":{"type":"TypeError","message":"x is undefined","stackTrace":["at f (a.js:1)","at g (b.js:2)"]}}"#))
        #expect(letter.exceptionClass == "TypeError")
        #expect(letter.stackTrace == "at f (a.js:1)\nat g (b.js:2)")
    }

    @Test func decimalStringNumbersAreAccepted() {
        let letter = decodeRecord(value: envelope(metadata: #"{"attemptCount":"5","originalOffset":"77"}"#))
        #expect(letter.attemptCount == 5)
        #expect(letter.originalOffset == 77)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func wronglyTypedMembersAreNotedAndTheFormatStays() {
        let letter = decodeRecord(value: envelope(metadata: #"{"attemptCount":"three","originalPartition":{},"consumer":42,"lastError":[1]}"#))
        #expect(letter.format == .jsonEnvelope)
        #expect(letter.attemptCount == nil)
        #expect(letter.originalPartition == nil)
        #expect(letter.consumer == nil)
        #expect(letter.decodeNotes == [
            "failureMetadata.consumer: expected a string, found a number; ignored",
            "failureMetadata.attemptCount: expected an integer, found a string; ignored",
            "failureMetadata.originalPartition: expected an integer, found an object; ignored",
            "failureMetadata.lastError: expected a string or an object, found an array; ignored",
        ])
    }

    @Test func outOfRangePartitionIsNoted() {
        let letter = decodeRecord(value: envelope(metadata: #"{"originalPartition":4294967296,"originalOffset":-1}"#))
        #expect(letter.originalPartition == nil)
        #expect(letter.originalOffset == nil)
        #expect(letter.decodeNotes.count == 2)
    }

    @Test func failureMetadataThatIsNotAnObjectIsNoted() {
        let letter = decodeRecord(value: envelope(metadata: #""see logs""#))
        #expect(letter.format == .jsonEnvelope)
        #expect(letter.decodeNotes == ["failureMetadata: expected an object, found a string; ignored"])
    }

    @Test func nullMembersCountAsAbsent() {
        let letter = decodeRecord(value: envelope(metadata: #"{"consumer":null,"attemptCount":null,"lastError":null}"#))
        #expect(letter.consumer == nil)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func escapedNULInAMessageIsRemovedAndNoted() {
        let letter = decodeRecord(value: envelope(metadata: #"{"lastError":{"message":"bad\u0000byte"}}"#))
        #expect(letter.errorMessage == "badbyte")
        #expect(letter.decodeNotes == ["failureMetadata.lastError.message: NUL characters removed"])
    }

    @Test func objectWithoutFailureMetadataIsNotAnEnvelope() {
        let letter = decodeRecord(value: #"{"originalEvent":{"id":1}}"#.utf8Bytes)
        #expect(letter.format == .raw)
        #expect(letter.originalEventRange == nil)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func repeatedOriginalEventLastOneWinsWithANote() throws {
        let value = #"{"originalEvent":1,"failureMetadata":{},"originalEvent":[2]}"#.utf8Bytes
        let letter = decodeRecord(value: value)
        let range = try #require(letter.originalEventRange)
        #expect(Array(value[range]) == "[2]".utf8Bytes)
        #expect(letter.decodeNotes == ["originalEvent appears more than once; the last one is used"])
    }

    @Test func escapedMemberNamesAreRecognised() {
        let letter = decodeRecord(value: #"{"original\u0045vent":{},"failureMetadata":{}}"#.utf8Bytes)
        #expect(letter.format == .jsonEnvelope)
    }

    @Test func traceContextFromOriginalHeadersWhenRecordHasNone() {
        let value = #"{"originalEvent":{"id":1},"failureMetadata":{},"#
            + #""originalHeaders":{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}"#
        let letter = decodeRecord(value: value.utf8Bytes)
        #expect(letter.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(letter.spanID == "00f067aa0ba902b7")
    }

    @Test func traceContextFromOriginalEventHeaders() {
        let event = #"{"id":1,"headers":{"b3":"80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1","count":3}}"#
        let letter = decodeRecord(value: envelope(metadata: "{}", event: event))
        #expect(letter.traceID == "80f198ee56343ba864fe8b2a57d3eff7")
    }

    @Test func recordHeadersTraceContextWinsOverEmbeddedOne() {
        let event = #"{"headers":{"traceparent":"00-11111111111111111111111111111111-1111111111111111-01"}}"#
        let letter = decodeRecord(
            value: envelope(metadata: "{}", event: event),
            headers: [header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")])
        #expect(letter.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test func envelopeWinsOverFailureHeaders() {
        let letter = decodeRecord(value: Self.envelope.utf8Bytes, headers: [header("kafka_dlt-original-topic", "x")])
        #expect(letter.format == .jsonEnvelope)
    }
}
