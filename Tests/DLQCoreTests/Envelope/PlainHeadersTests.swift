#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DLQCore
import Testing

@Suite("Plain failure headers")
struct PlainHeadersTests {
    let headers = [
        header("event-type", "OrderPlaced"),
        header("tenant-id", "tenant-3"),
        header("retry-count", "5"),
        header("dead-letter-reason", "Validation failed: customer cust-1042 has no billing address"),
        header("dead-letter-exception", "com.acme.validation.ValidationException"),
    ]

    @Test func isRecognisedAsPlainHeaders() {
        #expect(decodeRecord(value: "{}".utf8Bytes, headers: headers).format == .plainHeaders)
    }

    @Test func retryCountIsTheAttemptCount() {
        #expect(decodeRecord(value: nil, headers: headers).attemptCount == 5)
    }

    @Test func reasonAndExceptionBecomeTheFailure() {
        let letter = decodeRecord(value: nil, headers: headers)
        #expect(letter.errorMessage == "Validation failed: customer cust-1042 has no billing address")
        #expect(letter.exceptionClass == "com.acme.validation.ValidationException")
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func exceptionClassHeaderIsAnAlternativeSpelling() {
        #expect(decodeRecord(value: nil, headers: [header("exception-class", "E")]).exceptionClass == "E")
    }

    @Test func headerNamesMatchCaseInsensitively() {
        #expect(decodeRecord(value: nil, headers: [header("Retry-Count", "2")]).attemptCount == 2)
    }

    @Test func aMarkerHeaderAloneSelectsTheFormat() {
        #expect(decodeRecord(value: nil, headers: [header("tenant-id", "t1")]).format == .plainHeaders)
    }

    @Test func originalCoordinateHeadersAreRead() {
        let letter = decodeRecord(value: nil, headers: [
            header("original-topic", "payments"), header("original-partition", "2"), header("original-offset", "99"),
        ])
        #expect(letter.originalTopic == "payments")
        #expect(letter.originalPartition == 2)
        #expect(letter.originalOffset == 99)
    }

    @Test func failedAtHeaderIsTheFailureTime() {
        let letter = decodeRecord(value: nil, headers: [header("failed-at", "2026-01-31T13:34:56+01:00")])
        #expect(letter.failedAt == Date(timeIntervalSince1970: 1_769_862_896))
    }

    @Test func nonNumericRetryCountIsNoted() {
        let letter = decodeRecord(value: nil, headers: [header("retry-count", "many")])
        #expect(letter.attemptCount == nil)
        #expect(letter.decodeNotes == ["header retry-count: not a decimal integer; ignored"])
    }
}
