import CRdKafka
import Logging
import Synchronization

/// Owns one librdkafka handle (`rd_kafka_t`) and the state its C callbacks reach through the handle's opaque
/// pointer.
///
/// `@unchecked Sendable` because `OpaquePointer` is not Sendable, yet sharing is safe: librdkafka documents
/// `rd_kafka_t` as thread-safe for the calls made through it (produce, poll, flush, offsets_store, metadata
/// queries), and the handle is destroyed only in `deinit`, so no thread can still be using it by then. The one
/// mutable field, `consumerQueue`, is touched only on the owning ``KafkaConsumer``'s serial queue.
final class RdKafkaClient: @unchecked Sendable {
    let pointer: OpaquePointer
    let context: CallbackContext
    /// The consumer queue (`rd_kafka_queue_get_consumer`); consumers only. Cleared before
    /// `rd_kafka_consumer_close`, as librdkafka requires.
    var consumerQueue: OpaquePointer?
    /// See `deinit`.
    private let mayAbortOnDestroy: Bool

    /// Builds the configuration, creates the handle and, for consumers, routes all events to the consumer queue.
    init(
        type: rd_kafka_type_t,
        properties: [(String, String)],
        logger: Logger,
        installCallbacks: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        let conf = try Self.makeConfiguration(properties)
        installCallbacks(conf)
        rd_kafka_conf_set_error_cb(conf, errorCallback)
        rd_kafka_conf_set_log_cb(conf, logCallback)
        // Unretained: `self` keeps the context alive for longer than the handle, which it destroys in deinit.
        let context = CallbackContext(logger: logger)
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            // rd_kafka_new takes ownership of the configuration only when it succeeds.
            rd_kafka_conf_destroy(conf)
            throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: String(errorBuffer: errstr))
        }
        pointer = handle
        self.context = context
        let strategy = properties.last { $0.0 == "partition.assignment.strategy" }?.1 ?? ""
        mayAbortOnDestroy =
            type == RD_KAFKA_CONSUMER && strategy.contains("cooperative-sticky") && rd_kafka_version() < 0x0203_00ff
        if type == RD_KAFKA_CONSUMER {
            // One queue for messages, rebalances, errors and logs, so that polling it serves them all on the
            // consumer's own thread.
            rd_kafka_poll_set_consumer(handle)
            consumerQueue = rd_kafka_queue_get_consumer(handle)
        }
    }

    deinit {
        let wasClosed = consumerQueue == nil
        if let consumerQueue {
            rd_kafka_queue_destroy(consumerQueue)
        }
        // librdkafka before 2.3.0 aborts the whole process when a cooperative-sticky consumer that joined its
        // group but was never assigned is destroyed (confluentinc/librdkafka#4312; Debian ships 2.0.2). Leaking
        // that one handle, once it has left the group, is the lesser harm.
        if mayAbortOnDestroy, !context.wasAssigned.load(ordering: .acquiring) {
            if !wasClosed {
                rd_kafka_consumer_close(pointer)
            }
            context.logger.warning("not destroying a cooperative-sticky consumer that was never assigned (librdkafka#4312)")
            _ = Unmanaged.passRetained(context)
            return
        }
        rd_kafka_destroy(pointer)
    }

    private static func makeConfiguration(_ properties: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errstr = [CChar](repeating: 0, count: 512)
        for (name, value) in properties {
            let result = rd_kafka_conf_set(conf, name, value, &errstr, errstr.count)
            guard result == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(
                    RD_KAFKA_RESP_ERR__INVALID_ARG,
                    message: "configuration property \"\(name)\": \(String(errorBuffer: errstr))"
                )
            }
        }
        return conf
    }
}

/// What the C callbacks reach through the handle's opaque pointer (`rd_kafka_opaque`).
final class CallbackContext: Sendable {
    let logger: Logger
    /// Set by the rebalance callback on the first assignment.
    let wasAssigned = Atomic<Bool>(false)

    init(logger: Logger) {
        self.logger = logger
    }

    static func from(opaque: UnsafeMutableRawPointer) -> CallbackContext {
        Unmanaged<CallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// Client-level errors (broker down, authentication, fatal idempotence errors). Most are transient and
/// librdkafka recovers by itself, hence a warning; fatal ones mean the handle is dead.
private let errorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    _, code, reason, opaque in
    guard let opaque else { return }
    let error = KafkaError(rd_kafka_resp_err_t(rawValue: code), message: reason.map { String(cString: $0) })
    CallbackContext.from(opaque: opaque).logger.log(
        level: error.isFatal ? .error : .warning,
        "librdkafka error",
        metadata: ["kafka.error": "\(error.codeName)", "kafka.reason": "\(error.message)"]
    )
}

/// librdkafka's own log lines (syslog levels) go to the same logger as everything else. This runs on
/// librdkafka's internal threads, so it only reads the immutable opaque pointer and logs.
private let logCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, line in
    guard let handle, let opaque = rd_kafka_opaque(handle) else { return }
    let swiftLevel: Logger.Level =
        switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    CallbackContext.from(opaque: opaque).logger.log(
        level: swiftLevel,
        "\(line.map { String(cString: $0) } ?? "")",
        metadata: ["librdkafka.facility": "\(facility.map { String(cString: $0) } ?? "")"]
    )
}

extension RdKafkaClient {
    /// The number of partitions of `topic`, or nil when the cluster does not know the topic. Asks for all
    /// topics rather than this one: a request naming a topic may create it where auto-creation is on.
    func partitionCount(of topic: String, timeoutMilliseconds: Int32) throws(KafkaError) -> Int? {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        try rd_kafka_metadata(pointer, 1, nil, &metadata, timeoutMilliseconds).check("read metadata")
        guard let metadata else { return nil }
        defer { rd_kafka_metadata_destroy(metadata) }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        guard let entry = topics.first(where: { String(cString: $0.topic) == topic }), entry.err == RD_KAFKA_RESP_ERR_NO_ERROR
        else { return nil }
        return Int(entry.partition_cnt)
    }
}
