import CRdKafka
import Synchronization

/// Producer operations; all thread-safe in librdkafka.
extension RdKafkaClient {
    /// Enqueues every message of the batch. On a full local queue it serves delivery reports for a moment and
    /// retries, so a batch larger than `queue.buffering.max.messages` simply takes longer instead of failing.
    func enqueue(_ batch: ProducerBatch) {
        // Released by whichever completion turns out to be the last (see ProducerBatch.complete).
        let retained = Unmanaged.passRetained(batch)
        for index in batch.messages.indices {
            while let error = produce(batch.messages[index], opaque: batch.opaque(for: index)) {
                if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    rd_kafka_error_destroy(error)
                    rd_kafka_poll(pointer, 10)
                    continue
                }
                if batch.complete(index, with: .failure(.consuming(error))) {
                    retained.release()
                }
                break
            }
        }
    }

    /// One `rd_kafka_produceva` call; returns librdkafka's error (owned by the caller) or nil when enqueued.
    private func produce(_ message: KafkaOutgoingMessage, opaque: UnsafeMutableRawPointer) -> OpaquePointer? {
        var headers: OpaquePointer?
        if !message.headers.isEmpty {
            let list = rd_kafka_headers_new(message.headers.count)
            for header in message.headers {
                header.name.withCString { name in
                    withBytes(header.value) { value, count in
                        _ = rd_kafka_header_add(list, name, -1, value, count)
                    }
                }
            }
            headers = list
        }
        let error = message.topic.withCString { topic in
            withBytes(message.key) { key, keyCount in
                withBytes(message.value) { value, valueCount in
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { vus in
                        var count = 0
                        func append(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                            var vu = rd_kafka_vu_t()
                            vu.vtype = type
                            set(&vu)
                            vus[count] = vu
                            count += 1
                        }
                        append(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = topic }
                        if let partition = message.partition {
                            append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition }
                        }
                        if let key {
                            append(RD_KAFKA_VTYPE_KEY) {
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key)
                                $0.u.mem.size = keyCount
                            }
                        }
                        if let value {
                            append(RD_KAFKA_VTYPE_VALUE) {
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value)
                                $0.u.mem.size = valueCount
                            }
                        }
                        if let headers {
                            append(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers }
                        }
                        append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                        // Without F_COPY librdkafka would keep pointers into Swift arrays past this call.
                        append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                        return rd_kafka_produceva(pointer, vus.baseAddress, count)
                    }
                }
            }
        }
        // The message owns the header list only once it was accepted.
        if error != nil, let headers {
            rd_kafka_headers_destroy(headers)
        }
        return error
    }

    func flush(timeoutMilliseconds: Int32) throws(KafkaError) {
        try rd_kafka_flush(pointer, timeoutMilliseconds).check("flush")
    }

    /// Gives up on everything not yet acknowledged, so that every waiting send() gets a delivery report
    /// (`_PURGE_QUEUE` / `_PURGE_INFLIGHT`) before the handle goes away instead of waiting forever.
    func purgeAndServeReports(timeoutMilliseconds: Int32) {
        rd_kafka_purge(pointer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
        rd_kafka_flush(pointer, timeoutMilliseconds)
    }

    var outstandingCount: Int32 {
        rd_kafka_outq_len(pointer)
    }
}

/// Calls `body` with a pointer to the bytes, `nil` for a null field and a valid pointer with count 0 for an
/// empty one: librdkafka tells null from empty by the pointer alone, and an empty Swift array may have none.
private func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
    guard let bytes else { return body(nil, 0) }
    return bytes.withUnsafeBytes { buffer in
        if let base = buffer.baseAddress {
            return body(base, buffer.count)
        }
        return withUnsafeBytes(of: UInt8(0)) { body($0.baseAddress!, 0) }
    }
}

/// Serves delivery reports on the producer's own dispatch queue until stopped, so send() completes without
/// the caller ever polling or flushing.
final class ProducerPollLoop: Sendable {
    private let stopped = Atomic<Bool>(false)

    func run(_ client: RdKafkaClient) {
        while !stopped.load(ordering: .acquiring) {
            rd_kafka_poll(client.pointer, 100)
        }
    }

    func stop(_ client: RdKafkaClient?) {
        stopped.store(true, ordering: .releasing)
        // Wakes a poll that is waiting, so stopping does not take up to its whole timeout.
        if let client {
            rd_kafka_yield(client.pointer)
        }
    }
}
