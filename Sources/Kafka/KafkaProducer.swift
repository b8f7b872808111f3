import CRdKafka
import Dispatch
import Logging
import Synchronization

/// Sends records and reports where the broker stored each one.
///
/// Delivery reports are served by a poll loop on a dispatch queue the producer owns, so ``send(_:)`` returns as
/// soon as the broker acknowledged the message, without the caller flushing. Enqueueing, ``flush(timeout:)``
/// and ``close()`` run in submission order on a second queue of the producer's, never on Swift's cooperative
/// pool: librdkafka may block in all of them.
public final class KafkaProducer: Sendable {
    private let logger: Logger
    private let queue: DispatchQueue
    private let pollQueue: DispatchQueue
    private let pollLoop = ProducerPollLoop()
    /// `nil` once closed. The handle is destroyed when the last operation holding it finishes.
    private let client: Mutex<RdKafkaClient?>

    /// How long ``close()`` waits for outstanding messages before giving up on them.
    private static let closeFlushTimeout: Duration = .seconds(5)

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.logger = logger
        queue = DispatchQueue(label: "kafka.producer")
        pollQueue = DispatchQueue(label: "kafka.producer.poll")
        let client = try RdKafkaClient(
            type: RD_KAFKA_PRODUCER,
            properties: configuration.librdkafkaProperties,
            logger: logger
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
        self.client = Mutex(client)
        pollQueue.async { [pollLoop] in
            pollLoop.run(client)
        }
    }

    deinit {
        // Without close() the loop would keep the handle alive forever; stopping it lets the handle go.
        pollLoop.stop(nil)
    }

    /// Sends one message and returns when the broker acknowledged it (delivery report), throwing
    /// ``KafkaError`` on failure.
    public func send(_ message: KafkaOutgoingMessage) async throws -> KafkaDeliveryReport {
        try await send(batch: [message])[0].get()
    }

    /// Enqueues all, returns one result per message in the same order once every delivery report has arrived.
    ///
    /// A full local queue is waited out, not reported: large batches simply take longer. Throws only when the
    /// producer is already closed.
    public func send(batch messages: [KafkaOutgoingMessage]) async throws -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard !messages.isEmpty else { return [] }
        guard client.withLock({ $0 }) != nil else { throw KafkaError.closed("producer") }
        return await withCheckedContinuation { continuation in
            let batch = ProducerBatch(messages: messages, continuation: continuation)
            queue.async { [self] in
                guard let client = self.client.withLock({ $0 }) else {
                    // Closed between the check above and now: nothing was enqueued, fail every message.
                    let error = KafkaError.closed("producer")
                    for index in messages.indices {
                        _ = batch.complete(index, with: .failure(error))
                    }
                    return
                }
                client.enqueue(batch)
            }
        }
    }

    /// Waits until every message enqueued so far has a delivery report, or throws `_TIMED_OUT`.
    public func flush(timeout: Duration) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { [self] in
                continuation.resume(with: Result {
                    guard let client = self.client.withLock({ $0 }) else { throw KafkaError.closed("producer") }
                    try client.flush(timeoutMilliseconds: timeout.timeoutMilliseconds)
                })
            }
        }
    }

    /// Flushes for up to 5 seconds, fails whatever is still unacknowledged (`_PURGE_QUEUE`/`_PURGE_INFLIGHT`,
    /// so no ``send(_:)`` waits forever), stops the poll loop and destroys the handle. Idempotent.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                // Taken out on the queue, after every send submitted before close() has been enqueued.
                var client = self.client.withLock { $0.take() }
                if let open = client {
                    self.shutDown(open)
                }
                // The last reference: the handle is destroyed here.
                client = nil
                continuation.resume()
            }
        }
    }

    /// Flushes, purges what the broker has not acknowledged, and stops the poll loop.
    private func shutDown(_ client: RdKafkaClient) {
        do {
            try client.flush(timeoutMilliseconds: Self.closeFlushTimeout.timeoutMilliseconds)
        } catch {
            logger.warning(
                "closing producer with unacknowledged messages",
                metadata: ["kafka.outstanding": "\(client.outstandingCount)", "kafka.error": "\(error)"]
            )
            client.purgeAndServeReports(timeoutMilliseconds: 1000)
        }
        pollLoop.stop(client)
        // Waits for the loop to return, so that it no longer holds the handle.
        pollQueue.sync {}
    }
}
