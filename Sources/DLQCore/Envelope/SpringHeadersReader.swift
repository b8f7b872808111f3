/// Reads the `kafka_dlt-*` headers Spring Kafka's `DeadLetterPublishingRecoverer` adds.
///
/// - Topic, messages, class names and stack traces are UTF-8; partition is a 4-byte big-endian `int`,
///   offset an 8-byte big-endian `long` (a wrong length is noted and the field left nil).
/// - `kafka_dlt-original-timestamp` is the original record's own timestamp, not when it failed, so it does not
///   become ``DeadLetter/failedAt``; Spring records no failure time (the DLT record's Kafka timestamp,
///   kept as ``DeadLetter/kafkaTimestamp``, is the closest thing).
/// - The exception class is `kafka_dlt-exception-fqcn`, except that Spring's listener wrapper
///   `ListenerExecutionFailedException` gives way to `kafka_dlt-exception-cause-fqcn`: the wrapper is the same for
///   every failure and would make all Spring dead letters classify and fingerprint alike.
/// - Key deserialization failures use `kafka_dlt-key-exception-*`; they are read when the value ones are absent.
/// - Attempts come from the retry-topic header `retry_topic-attempts` (4-byte, or 1-byte from older versions).
enum SpringHeadersReader {
    static let prefix = "kafka_dlt-"
    private static let listenerWrapper = "org.springframework.kafka.listener.ListenerExecutionFailedException"

    static func recognises(_ headers: HeaderLookup) -> Bool {
        headers.containsName(withPrefix: prefix)
    }

    static func read(_ headers: HeaderLookup, into letter: inout DeadLetter, notes: inout DecodeNotes) {
        let fields = HeaderFieldReader(headers: headers)
        letter.format = .spring
        letter.originalTopic = fields.nonEmptyText("kafka_dlt-original-topic", notes: &notes)
        letter.originalPartition = HeaderFieldReader.nonNegative(
            fields.bigEndianInt32("kafka_dlt-original-partition", notes: &notes),
            field: "header kafka_dlt-original-partition", notes: &notes)
        letter.originalOffset = HeaderFieldReader.nonNegative(
            fields.bigEndianInt64("kafka_dlt-original-offset", notes: &notes),
            field: "header kafka_dlt-original-offset", notes: &notes)
        letter.consumerGroup = fields.nonEmptyText("kafka_dlt-original-consumer-group", notes: &notes)

        let exception = fields.text("kafka_dlt-exception-fqcn", notes: &notes)
            ?? fields.text("kafka_dlt-key-exception-fqcn", notes: &notes)
        let cause = fields.text("kafka_dlt-exception-cause-fqcn", notes: &notes)
        letter.exceptionClass = exception == listenerWrapper ? (cause ?? exception) : (exception ?? cause)
        letter.errorMessage = fields.text("kafka_dlt-exception-message", notes: &notes)
            ?? fields.text("kafka_dlt-key-exception-message", notes: &notes)
        letter.stackTrace = fields.text("kafka_dlt-exception-stacktrace", notes: &notes)
            ?? fields.text("kafka_dlt-key-exception-stacktrace", notes: &notes)
        letter.attemptCount = attempts(headers, notes: &notes)
    }

    private static func attempts(_ headers: HeaderLookup, notes: inout DecodeNotes) -> Int32? {
        let name = "retry_topic-attempts"
        guard let bytes = headers.value(name) else { return nil }
        switch bytes.count {
        case 1:
            return Int32(bytes[0])
        case 4:
            return HeaderFieldReader.nonNegative(
                HeaderFieldReader(headers: headers).bigEndianInt32(name, notes: &notes),
                field: "header \(name)", notes: &notes)
        default:
            notes.add("header \(name): expected a 1- or 4-byte big-endian integer, got \(bytes.count) bytes; ignored")
            return nil
        }
    }
}
