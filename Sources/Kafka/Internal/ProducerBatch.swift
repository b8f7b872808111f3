import CRdKafka
import Synchronization

/// One ``KafkaProducer/send(batch:)`` call in flight: collects a delivery report per message and resumes the
/// caller when the last one arrives.
///
/// librdkafka hands each message's opaque pointer back in its delivery report. That pointer is the message's
/// `Slot`, which names the batch and the index, so a batch of 200,000 messages costs one allocation for all
/// slots instead of a box per message.
///
/// `@unchecked Sendable` because of the slot buffer: it is written only in `init`, before the batch is shared,
/// and only read afterwards. Everything mutable is behind the mutex, since delivery reports can be served on
/// the poll thread and on the enqueue thread (which polls while the queue is full) at the same time.
final class ProducerBatch: @unchecked Sendable {
    struct Slot {
        let batch: Unmanaged<ProducerBatch>
        let index: Int
    }

    typealias Results = [Result<KafkaDeliveryReport, KafkaError>]

    let messages: [KafkaOutgoingMessage]
    private let slots: UnsafeMutablePointer<Slot>
    private let progress: Mutex<(results: Results, remaining: Int)>
    private let continuation: CheckedContinuation<Results, Never>

    init(messages: [KafkaOutgoingMessage], continuation: CheckedContinuation<Results, Never>) {
        self.messages = messages
        self.continuation = continuation
        // Every entry is overwritten by its delivery report or enqueue failure; the placeholder never escapes.
        let placeholder = KafkaError(RD_KAFKA_RESP_ERR__FAIL, message: "no delivery report")
        progress = Mutex((Results(repeating: .failure(placeholder), count: messages.count), messages.count))
        slots = .allocate(capacity: messages.count)
        let unmanaged = Unmanaged.passUnretained(self)
        for index in messages.indices {
            (slots + index).initialize(to: Slot(batch: unmanaged, index: index))
        }
    }

    deinit {
        slots.deinitialize(count: messages.count)
        slots.deallocate()
    }

    /// The per-message opaque pointer for `RD_KAFKA_VTYPE_OPAQUE`.
    func opaque(for index: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(slots + index)
    }

    /// Records the outcome of one message; the last one resumes the caller. Returns `true` for the last one,
    /// so whoever holds the batch's extra retain knows to release it.
    func complete(_ index: Int, with result: Result<KafkaDeliveryReport, KafkaError>) -> Bool {
        let finished: Results? = progress.withLock { progress in
            progress.results[index] = result
            progress.remaining -= 1
            return progress.remaining == 0 ? progress.results : nil
        }
        guard let finished else { return false }
        continuation.resume(returning: finished)
        return true
    }
}

/// Delivery reports of every producer. Served by `rd_kafka_poll`, i.e. on the producer's poll thread (or its
/// enqueue thread under backpressure); captures nothing and finds its batch through the message's opaque.
let deliveryReportCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    _, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    let slot = opaque.assumingMemoryBound(to: ProducerBatch.Slot.self).pointee
    let batch = slot.batch.takeUnretainedValue()
    let report = message.pointee
    let result: Result<KafkaDeliveryReport, KafkaError> =
        report.err == RD_KAFKA_RESP_ERR_NO_ERROR
        ? .success(KafkaDeliveryReport(topic: batch.messages[slot.index].topic, partition: report.partition, offset: report.offset))
        : .failure(KafkaError(report.err))
    if batch.complete(slot.index, with: result) {
        slot.batch.release()
    }
}
