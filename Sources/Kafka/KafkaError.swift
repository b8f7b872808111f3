import CRdKafka

/// An error reported by librdkafka or by a Kafka broker.
///
/// `code` is librdkafka's `rd_kafka_resp_err_t`: negative values are client-side errors (`_TRANSPORT`,
/// `_MSG_TIMED_OUT`, ...), positive values are Kafka protocol error codes returned by the broker.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// The raw `rd_kafka_resp_err_t` value.
    public var code: Int32
    /// librdkafka's symbolic name for `code`, e.g. `_TRANSPORT` or `NOT_LEADER_FOR_PARTITION`.
    public var codeName: String
    /// What went wrong, as librdkafka describes it (names the property for configuration errors).
    public var message: String
    /// Trying the same operation again may succeed.
    public var isRetriable: Bool
    /// The client instance is unusable and must be recreated.
    public var isFatal: Bool

    public init(code: Int32, codeName: String, message: String, isRetriable: Bool, isFatal: Bool) {
        self.code = code
        self.codeName = codeName
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    public var description: String { "KafkaError(\(codeName)): \(message)" }
}

extension KafkaError {
    /// An error from a bare `rd_kafka_resp_err_t`, which carries no retriable/fatal flags of its own: those
    /// are derived from the code.
    init(_ err: rd_kafka_resp_err_t, message: String? = nil) {
        self.init(
            code: err.rawValue,
            codeName: String(cString: rd_kafka_err2name(err)),
            message: message ?? String(cString: rd_kafka_err2str(err)),
            isRetriable: Self.retriableCodes.contains(err.rawValue),
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL
        )
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it: those carry librdkafka's own flags.
    static func consuming(_ error: OpaquePointer) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let code = rd_kafka_error_code(error)
        return KafkaError(
            code: code.rawValue,
            codeName: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || retriableCodes.contains(code.rawValue),
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }

    /// Used after `close()`: librdkafka's own code for a destroyed handle.
    static func closed(_ what: String) -> KafkaError {
        KafkaError(RD_KAFKA_RESP_ERR__DESTROY, message: "\(what) is closed")
    }

    /// Bare error codes come without a retriable flag (delivery reports, per-partition results), so mirror
    /// the Java client's RetriableException set: the transient broker-side conditions plus librdkafka's
    /// local timeouts and transport failures.
    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
        RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__WAIT_COORD,
        RD_KAFKA_RESP_ERR_INVALID_MSG, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
        RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
        RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH, RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH,
        RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED,
    ].reduce(into: Set<Int32>()) { $0.insert($1.rawValue) }
}

extension rd_kafka_resp_err_t {
    /// Throws unless this is `RD_KAFKA_RESP_ERR_NO_ERROR`.
    func check(_ context: @autoclosure () -> String? = nil) throws(KafkaError) {
        guard self != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        let message = context().map { "\($0): \(String(cString: rd_kafka_err2str(self)))" }
        throw KafkaError(self, message: message)
    }
}
