/// Believable dead letters in every envelope format, for the demo, integration tests and benchmarks.
///
/// Deterministic: the same arguments always give the same bytes, so a benchmark or a test failure can be
/// reproduced. `index` varies ids, partitions, offsets, failures and trace headers; roughly one in three samples
/// carries a W3C `traceparent`, one in three a B3 header, the rest none (JSON envelopes then carry a
/// `traceparent` in their `originalHeaders` member instead). Decoding a sample with ``EnvelopeDecoder`` gives back the format it was made for.
public enum SampleDeadLetters {
    /// - Parameter approximateValueSize: the value is padded (inside the event, so it stays well-formed) to about
    ///   this many bytes; it is never truncated below what the failure itself needs.
    public static func make(format: EnvelopeFormat, index: Int, dlqTopic: String, approximateValueSize: Int = 600) -> SampleRecord {
        let n = Int(index.magnitude % 1_000_000_000)
        let scenario = SampleScenario(n: n, dlqTopic: dlqTopic, size: approximateValueSize)
        switch format {
        case .jsonEnvelope: return jsonEnvelope(scenario)
        case .spring: return spring(scenario)
        case .connect: return connect(scenario)
        case .streams: return streams(scenario)
        case .plainHeaders: return plainHeaders(scenario)
        case .raw: return raw(scenario)
        }
    }

    // MARK: - Formats

    private static func jsonEnvelope(_ c: SampleScenario) -> SampleRecord {
        let failures: [(exception: String, message: String)] = [
            ("java.net.SocketTimeoutException", "Read timed out after 30000 ms calling inventory-service for order \(c.orderID)"),
            ("com.acme.inventory.OutOfStockException", "SKU-\(c.n % 500) has 0 units left, order \(c.orderID) needs 2"),
            ("org.postgresql.util.PSQLException", "ERROR: duplicate key value violates unique constraint \"orders_pkey\""),
        ]
        let failure = failures[c.n % failures.count]
        let lastError = c.n % 2 == 0
            ? #"{"class":"\#(failure.exception)","message":"\#(jsonEscaped(failure.message))","stackTrace":"\#(jsonEscaped(stackTrace(failure.exception, failure.message)))"}"#
            : #""\#(jsonEscaped(failure.exception + ": " + failure.message))""#
        // JSON envelopes are written by application code, which forwards the original headers itself.
        let originalHeaders = c.traceHeaders.isEmpty
            ? #"{"traceparent":"\#(c.traceparent)","event-type":"OrderPlaced"}"#
            : #"{"event-type":"OrderPlaced"}"#
        let value = c.padded { padding in
            #"{"originalEvent":\#(c.orderEvent(padding: padding)),"failureMetadata":{"consumer":"order-fulfilment-\#(c.n % 4)","#
                + #""consumerGroup":"order-fulfilment","attemptCount":\#(3 + c.n % 3),"lastError":\#(lastError),"#
                + #""lastAttemptAt":"\#(ISO8601Timestamp.format(epochMilliseconds: c.failedAtMilliseconds))","#
                + #""originalTopic":"\#(c.originalTopic)","originalPartition":\#(c.partition),"originalOffset":\#(c.offset)},"#
                + #""originalHeaders":\#(originalHeaders)}"#
        }
        return SampleRecord(key: c.key, value: value, headers: c.traceHeaders)
    }

    private static func spring(_ c: SampleScenario) -> SampleRecord {
        let failures: [(exception: String, message: String)] = [
            ("com.acme.orders.PaymentDeclinedException", "Card declined for order \(c.orderID)"),
            ("com.acme.orders.PaymentDeclinedException", "Card declined for order \(c.orderID): insufficient funds"),
            ("org.springframework.kafka.support.serializer.DeserializationException",
             "failed to deserialize; nested exception is com.fasterxml.jackson.core.JsonParseException: Unexpected character ('<' (code 60))"),
            ("java.lang.IllegalStateException", "No reservation \(c.uuid(salt: 7)) for order \(c.orderID)"),
        ]
        let failure = failures[c.n % failures.count]
        var headers = [
            RecordHeader(name: "__TypeId__", text: "com.acme.orders.OrderPlaced"),
            RecordHeader(name: "kafka_dlt-exception-fqcn", text: failure.exception),
            RecordHeader(name: "kafka_dlt-exception-message", text: failure.message),
            RecordHeader(name: "kafka_dlt-exception-stacktrace", text: stackTrace(failure.exception, failure.message)),
            RecordHeader(name: "kafka_dlt-original-topic", text: c.originalTopic),
            RecordHeader(name: "kafka_dlt-original-partition", value: bigEndian(UInt32(bitPattern: c.partition))),
            RecordHeader(name: "kafka_dlt-original-offset", value: bigEndian(UInt64(bitPattern: c.offset))),
            RecordHeader(name: "kafka_dlt-original-timestamp", value: bigEndian(UInt64(bitPattern: c.placedAtMilliseconds))),
            RecordHeader(name: "kafka_dlt-original-timestamp-type", text: "CreateTime"),
            RecordHeader(name: "kafka_dlt-original-consumer-group", text: "payment-service"),
        ]
        headers += c.traceHeaders
        return SampleRecord(key: c.key, value: c.padded { c.orderEvent(padding: $0) }, headers: headers)
    }

    private static func connect(_ c: SampleScenario) -> SampleRecord {
        var headers = [
            RecordHeader(name: "__connect.errors.topic", text: c.originalTopic),
            RecordHeader(name: "__connect.errors.partition", text: String(c.partition)),
            RecordHeader(name: "__connect.errors.offset", text: String(c.offset)),
            RecordHeader(name: "__connect.errors.connector.name", text: "jdbc-sink-orders"),
            RecordHeader(name: "__connect.errors.task.id", text: String(c.n % 3)),
            RecordHeader(name: "__connect.errors.stage", text: "VALUE_CONVERTER"),
            RecordHeader(name: "__connect.errors.class.name", text: "io.confluent.connect.avro.AvroConverter"),
            RecordHeader(name: "__connect.errors.exception.class.name", text: "org.apache.kafka.connect.errors.DataException"),
        ]
        let message = "Failed to deserialize data for topic \(c.originalTopic) to Avro: "
        // Connect omits the message header when the exception has none.
        if c.n % 4 != 3 {
            headers.append(RecordHeader(name: "__connect.errors.exception.message", text: message))
        }
        headers.append(RecordHeader(
            name: "__connect.errors.exception.stacktrace",
            text: stackTrace("org.apache.kafka.connect.errors.DataException", message, frames: [
                "io.confluent.connect.avro.AvroConverter.toConnectData(AvroConverter.java:148)",
                "org.apache.kafka.connect.runtime.WorkerSinkTask.convertValue(WorkerSinkTask.java:540)",
                "org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator.execAndRetry(RetryWithToleranceOperator.java:156)",
            ]) + "\nCaused by: org.apache.kafka.common.errors.SerializationException: Unknown magic byte!"))
        headers += c.traceHeaders
        // A JSON event on a topic whose sink expects Avro: the classic Connect converter failure.
        return SampleRecord(key: c.n % 5 == 0 ? nil : c.key, value: c.padded { c.orderEvent(padding: $0) }, headers: headers)
    }

    private static func streams(_ c: SampleScenario) -> SampleRecord {
        let exception = "org.apache.kafka.common.errors.SerializationException"
        let message = "Size of data received by IntegerDeserializer is not 4"
        var headers = [
            RecordHeader(name: "__streams.errors.exception", text: exception),
            RecordHeader(name: "__streams.errors.message", text: message),
            RecordHeader(name: "__streams.errors.stacktrace", text: stackTrace(exception, message, frames: [
                "org.apache.kafka.common.serialization.IntegerDeserializer.deserialize(IntegerDeserializer.java:44)",
                "org.apache.kafka.streams.processor.internals.SourceNode.deserializeValue(SourceNode.java:63)",
                "org.apache.kafka.streams.processor.internals.RecordDeserializer.deserialize(RecordDeserializer.java:66)",
            ])),
            RecordHeader(name: "__streams.errors.topic", text: c.originalTopic),
            RecordHeader(name: "__streams.errors.partition", text: String(c.partition)),
            RecordHeader(name: "__streams.errors.offset", text: String(c.offset)),
        ]
        headers += c.traceHeaders
        // A text line where the topology expected a 4-byte integer quantity.
        let value = c.padded { padding in
            Array("\(c.orderID);\(c.customerID);EUR;\(c.total);\(padding)".utf8)
        }
        return SampleRecord(key: c.key, value: value, headers: headers)
    }

    private static func plainHeaders(_ c: SampleScenario) -> SampleRecord {
        var headers = [
            RecordHeader(name: "event-type", text: "OrderPlaced"),
            RecordHeader(name: "tenant-id", text: "tenant-\(c.n % 7)"),
            RecordHeader(name: "retry-count", text: String(3 + c.n % 3)),
            RecordHeader(name: "dead-letter-reason", text: "Validation failed: customer \(c.customerID) has no billing address"),
            RecordHeader(name: "dead-letter-exception", text: "com.acme.validation.ValidationException"),
            RecordHeader(name: "original-topic", text: c.originalTopic),
        ]
        headers += c.traceHeaders
        return SampleRecord(key: c.key, value: c.padded { c.orderEvent(padding: $0) }, headers: headers)
    }

    private static func raw(_ c: SampleScenario) -> SampleRecord {
        // Confluent wire format: magic byte 0, a 4-byte schema id, then Avro binary the consumer could not read.
        var value: [UInt8] = [0x00] + bigEndian(UInt32(100 + c.n % 20))
        var state = UInt64(c.n) &+ 0x5EED
        while value.count < max(c.size, 16) {
            value += bigEndian(SeededGenerator.next(&state))
        }
        value.removeLast(value.count - max(c.size, 16))
        return SampleRecord(key: c.n % 5 == 0 ? nil : c.key, value: value, headers: c.traceHeaders)
    }

    // MARK: - Building blocks

    private static func stackTrace(_ exception: String, _ message: String, frames: [String]? = nil) -> String {
        let frames = frames ?? [
            "com.acme.orders.payment.PaymentService.charge(PaymentService.java:142)",
            "com.acme.orders.OrderListener.onOrderPlaced(OrderListener.java:58)",
            "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
            "org.springframework.kafka.listener.adapter.MessagingMessageListenerAdapter.invokeHandler(MessagingMessageListenerAdapter.java:375)",
        ]
        return "\(exception): \(message)\n" + frames.map { "\tat \($0)" }.joined(separator: "\n")
    }

    private static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func bigEndian<Integer: FixedWidthInteger>(_ number: Integer) -> [UInt8] {
        withUnsafeBytes(of: number.bigEndian) { Array($0) }
    }
}
