import DLQCore
import Testing

@Suite("Sample dead letters")
struct SampleDeadLettersTests {
    @Test(arguments: EnvelopeFormat.allCases)
    func eachSampleDecodesToItsOwnFormat(format: EnvelopeFormat) {
        for index in 0..<12 {
            let sample = SampleDeadLetters.make(format: format, index: index, dlqTopic: "orders.dlq")
            let letter = decodeRecord(key: sample.key, value: sample.value, headers: sample.headers)
            #expect(letter.format == format, "index \(index)")
            #expect(letter.decodeNotes.isEmpty, "index \(index): \(letter.decodeNotes)")
        }
    }

    @Test(arguments: EnvelopeFormat.allCases)
    func valuesArePaddedToAboutTheRequestedSize(format: EnvelopeFormat) {
        for size in [600, 4096] {
            let count = SampleDeadLetters.make(format: format, index: 3, dlqTopic: "orders.dlq", approximateValueSize: size).value?.count ?? 0
            #expect(abs(count - size) <= size / 10, "size \(size) gave \(count)")
        }
    }

    @Test func samplesAreDeterministic() {
        let a = SampleDeadLetters.make(format: .spring, index: 17, dlqTopic: "orders.DLT")
        let b = SampleDeadLetters.make(format: .spring, index: 17, dlqTopic: "orders.DLT")
        #expect(a == b)
    }

    @Test func samplesVaryWithTheIndex() {
        let a = decodeRecord(value: nil, headers: SampleDeadLetters.make(format: .spring, index: 1, dlqTopic: "orders.DLT").headers)
        let b = decodeRecord(value: nil, headers: SampleDeadLetters.make(format: .spring, index: 2, dlqTopic: "orders.DLT").headers)
        #expect(a.originalOffset != b.originalOffset)
        #expect(a.originalPartition != b.originalPartition)
    }

    @Test func springSampleCarriesTheDocumentedFailure() {
        let sample = SampleDeadLetters.make(format: .spring, index: 0, dlqTopic: "orders.DLT")
        let letter = decodeRecord(topic: "orders.DLT", value: sample.value, headers: sample.headers)
        #expect(letter.exceptionClass == "com.acme.orders.PaymentDeclinedException")
        #expect(letter.errorMessage == "Card declined for order 4711")
        #expect(letter.originalTopic == "orders")
    }

    @Test func someSamplesCarryTraceContextAndSomeDoNot() {
        let traceIDs = (0..<6).map { index in
            let sample = SampleDeadLetters.make(format: .jsonEnvelope, index: index, dlqTopic: "orders.dlq")
            return decodeRecord(value: sample.value, headers: sample.headers).traceID
        }
        #expect(traceIDs.allSatisfy { $0 != nil })
        let rawTraceIDs = (0..<6).map { index in
            decodeRecord(value: nil, headers: SampleDeadLetters.make(format: .raw, index: index, dlqTopic: "orders.dlq").headers).traceID
        }
        #expect(rawTraceIDs.contains(nil))
        #expect(rawTraceIDs.contains { $0 != nil })
    }

    @Test func jsonEnvelopeSampleOriginalEventIsItselfJSON() throws {
        let sample = SampleDeadLetters.make(format: .jsonEnvelope, index: 5, dlqTopic: "orders.dlq")
        let letter = decodeRecord(value: sample.value, headers: sample.headers)
        let event = try #require(letter.originalEvent)
        #expect(event.first == UInt8(ascii: "{"))
        #expect(decodeRecord(value: event).decodeNotes.isEmpty)
    }
}
