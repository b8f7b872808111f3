import DLQCore
import Testing

@Suite("Kafka Connect __connect.errors.* headers")
struct ConnectEnvelopeTests {
    let headers = [
        header("__connect.errors.topic", "orders"),
        header("__connect.errors.partition", "3"),
        header("__connect.errors.offset", "9876543210"),
        header("__connect.errors.connector.name", "jdbc-sink-orders"),
        header("__connect.errors.task.id", "0"),
        header("__connect.errors.stage", "VALUE_CONVERTER"),
        header("__connect.errors.class.name", "io.confluent.connect.avro.AvroConverter"),
        header("__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException"),
        header("__connect.errors.exception.stacktrace", "org.apache.kafka.connect.errors.DataException: \n\tat x"),
    ]

    @Test func isRecognisedAsConnect() {
        #expect(decodeRecord(value: [0x00, 0x01], headers: headers).format == .connect)
    }

    @Test func readsDecimalStringPartitionAndOffset() {
        let letter = decodeRecord(value: nil, headers: headers)
        #expect(letter.originalTopic == "orders")
        #expect(letter.originalPartition == 3)
        #expect(letter.originalOffset == 9_876_543_210)
    }

    @Test func absentExceptionMessageIsNilWithoutANote() {
        let letter = decodeRecord(value: nil, headers: headers)
        #expect(letter.errorMessage == nil)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func exceptionMessageIsReadWhenPresent() {
        let letter = decodeRecord(value: nil, headers: headers + [header("__connect.errors.exception.message", "Unknown magic byte!")])
        #expect(letter.errorMessage == "Unknown magic byte!")
    }

    @Test func connectorNameIsTheConsumerAndNamesTheSinkGroup() {
        let letter = decodeRecord(value: nil, headers: headers)
        #expect(letter.consumer == "jdbc-sink-orders")
        #expect(letter.consumerGroup == "connect-jdbc-sink-orders")
    }

    @Test func readsExceptionClassAndStackTrace() {
        let letter = decodeRecord(value: nil, headers: headers)
        #expect(letter.exceptionClass == "org.apache.kafka.connect.errors.DataException")
        #expect(letter.stackTrace?.contains("\tat x") == true)
    }

    @Test func nonDecimalOffsetIsNotedAndLeftNil() {
        let letter = decodeRecord(value: nil, headers: [header("__connect.errors.offset", "12x")])
        #expect(letter.originalOffset == nil)
        #expect(letter.decodeNotes == ["header __connect.errors.offset: not a decimal integer; ignored"])
    }
}
