import CRdKafka
import Foundation

/// Turns consumed `rd_kafka_message_t`s into ``KafkaRecord``s with one copy per byte field.
///
/// Holds the last topic name, since a batch is mostly runs of one partition and building a String from the
/// topic's C name for every record would be measurable at tens of thousands of records per second.
struct RecordDecoder {
    private var lastTopicHandle: OpaquePointer?
    private var lastTopicName = ""

    mutating func decode(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaRecord {
        let m = message.pointee
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        let timestamp =
            timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || milliseconds < 0
            ? nil : Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return KafkaRecord(
            topic: topicName(m.rkt),
            partition: m.partition,
            offset: m.offset,
            key: Self.bytes(m.key, m.key_len),
            value: Self.bytes(m.payload, m.len),
            headers: Self.headers(message),
            timestamp: timestamp
        )
    }

    private mutating func topicName(_ topic: OpaquePointer?) -> String {
        guard let topic else { return "" }
        if topic != lastTopicHandle {
            lastTopicHandle = topic
            lastTopicName = String(cString: rd_kafka_topic_name(topic))
        }
        return lastTopicName
    }

    /// librdkafka gives a null pointer for a null field and a non-null one for an empty field.
    private static func bytes(_ pointer: UnsafeRawPointer?, _ count: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func headers(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        // Not owned by us: the headers belong to the message and die with it.
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var headers: [KafkaHeader] = []
        headers.reserveCapacity(rd_kafka_header_cnt(list))
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes(value, size)))
            index += 1
        }
        return headers
    }
}
