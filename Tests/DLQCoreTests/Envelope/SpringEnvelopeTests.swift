import DLQCore
import Testing

@Suite("Spring Kafka kafka_dlt-* headers")
struct SpringEnvelopeTests {
    let headers = [
        header("kafka_dlt-exception-fqcn", "com.acme.orders.PaymentDeclinedException"),
        header("kafka_dlt-exception-message", "Card declined for order 4711"),
        header("kafka_dlt-exception-stacktrace", "com.acme.orders.PaymentDeclinedException: Card declined\n\tat com.acme.Pay.charge(Pay.java:1)"),
        header("kafka_dlt-original-topic", "orders"),
        header("kafka_dlt-original-partition", bytes: [0x00, 0x00, 0x00, 0x07]),
        header("kafka_dlt-original-offset", bytes: [0, 0, 0, 0, 0, 0, 0x30, 0x39]),
        header("kafka_dlt-original-timestamp", bytes: [0x00, 0x00, 0x01, 0x9B, 0x76, 0x1C, 0x50, 0x00]),
        header("kafka_dlt-original-consumer-group", "payment-service"),
    ]

    @Test func isRecognisedAsSpring() {
        #expect(decodeRecord(topic: "orders.DLT", value: "{}".utf8Bytes, headers: headers).format == .spring)
    }

    @Test func readsFourBytePartitionBigEndian() {
        #expect(decodeRecord(value: nil, headers: headers).originalPartition == 7)
    }

    @Test func readsEightByteOffsetBigEndian() {
        #expect(decodeRecord(value: nil, headers: headers).originalOffset == 12345)
    }

    @Test func readsOriginalTopicAndConsumerGroup() {
        let letter = decodeRecord(topic: "payments.DLT", value: nil, headers: headers)
        #expect(letter.originalTopic == "orders")
        #expect(letter.consumerGroup == "payment-service")
    }

    @Test func readsExceptionClassMessageAndStackTrace() {
        let letter = decodeRecord(value: nil, headers: headers)
        #expect(letter.exceptionClass == "com.acme.orders.PaymentDeclinedException")
        #expect(letter.errorMessage == "Card declined for order 4711")
        #expect(letter.stackTrace?.hasPrefix("com.acme.orders.PaymentDeclinedException: Card declined\n\tat") == true)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func originalTimestampIsNotTheFailureTime() {
        #expect(decodeRecord(value: nil, headers: headers).failedAt == nil)
    }

    @Test func repeatedHeaderLastOneWins() {
        let repeated = headers + [
            header("kafka_dlt-original-partition", bytes: [0x00, 0x00, 0x01, 0x00]),
            header("kafka_dlt-exception-message", "second failure"),
        ]
        let letter = decodeRecord(value: nil, headers: repeated)
        #expect(letter.originalPartition == 256)
        #expect(letter.errorMessage == "second failure")
    }

    @Test func wrongLengthPartitionIsNotedAndLeftNil() {
        let letter = decodeRecord(value: nil, headers: [header("kafka_dlt-original-partition", bytes: [0x07])])
        #expect(letter.originalPartition == nil)
        #expect(letter.decodeNotes.contains { $0.contains("kafka_dlt-original-partition") && $0.contains("1 bytes") })
    }

    @Test func wrongLengthOffsetIsNotedAndLeftNil() {
        let letter = decodeRecord(value: nil, headers: [header("kafka_dlt-original-offset", bytes: [0, 0, 0x30, 0x39])])
        #expect(letter.originalOffset == nil)
        #expect(letter.decodeNotes.contains { $0.contains("kafka_dlt-original-offset") })
    }

    @Test func listenerWrapperGivesWayToTheCause() {
        let letter = decodeRecord(value: nil, headers: [
            header("kafka_dlt-exception-fqcn", "org.springframework.kafka.listener.ListenerExecutionFailedException"),
            header("kafka_dlt-exception-cause-fqcn", "com.acme.orders.PaymentDeclinedException"),
        ])
        #expect(letter.exceptionClass == "com.acme.orders.PaymentDeclinedException")
    }

    @Test func keyDeserializationFailureHeadersAreUsedWhenValueOnesAreAbsent() {
        let letter = decodeRecord(value: nil, headers: [
            header("kafka_dlt-key-exception-fqcn", "org.apache.kafka.common.errors.SerializationException"),
            header("kafka_dlt-key-exception-message", "bad key"),
        ])
        #expect(letter.exceptionClass == "org.apache.kafka.common.errors.SerializationException")
        #expect(letter.errorMessage == "bad key")
    }

    @Test func retryTopicAttemptsBecomeTheAttemptCount() {
        let letter = decodeRecord(value: nil, headers: headers + [header("retry_topic-attempts", bytes: [0, 0, 0, 4])])
        #expect(letter.attemptCount == 4)
    }

    @Test func missingOriginalTopicFallsBackToTheDLQTopicName() {
        let letter = decodeRecord(topic: "payments.DLT", value: nil, headers: [header("kafka_dlt-exception-fqcn", "X")])
        #expect(letter.originalTopic == "payments")
    }
}
