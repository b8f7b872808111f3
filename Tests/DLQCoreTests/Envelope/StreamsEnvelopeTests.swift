import DLQCore
import Testing

@Suite("Kafka Streams __streams.errors.* headers")
struct StreamsEnvelopeTests {
    let headers = [
        header("__streams.errors.exception", "org.apache.kafka.common.errors.SerializationException"),
        header("__streams.errors.message", "Size of data received by IntegerDeserializer is not 4"),
        header("__streams.errors.stacktrace", "org.apache.kafka.common.errors.SerializationException: Size\n\tat y"),
        header("__streams.errors.topic", "inventory"),
        header("__streams.errors.partition", "11"),
        header("__streams.errors.offset", "12345"),
    ]

    @Test func isRecognisedAsStreams() {
        #expect(decodeRecord(value: "4711;EUR".utf8Bytes, headers: headers).format == .streams)
    }

    @Test func readsOriginalCoordinate() {
        let letter = decodeRecord(value: nil, headers: headers)
        #expect(letter.originalTopic == "inventory")
        #expect(letter.originalPartition == 11)
        #expect(letter.originalOffset == 12345)
    }

    @Test func readsTheFailure() {
        let letter = decodeRecord(value: nil, headers: headers)
        #expect(letter.exceptionClass == "org.apache.kafka.common.errors.SerializationException")
        #expect(letter.errorMessage == "Size of data received by IntegerDeserializer is not 4")
        #expect(letter.stackTrace?.hasSuffix("\tat y") == true)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func springHeadersTakePrecedenceOverStreamsHeaders() {
        let letter = decodeRecord(value: nil, headers: headers + [header("kafka_dlt-original-topic", "orders")])
        #expect(letter.format == .spring)
    }
}
