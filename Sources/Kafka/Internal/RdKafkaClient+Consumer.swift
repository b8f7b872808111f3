import CRdKafka
import Foundation
import Logging
import Synchronization

/// Consumer operations. The ones touching `consumerQueue` or closing must run on the owning
/// ``KafkaConsumer``'s serial queue; the rest are thread-safe in librdkafka.
extension RdKafkaClient {
    func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = TopicPartitionList(capacity: topics.count)
        for topic in topics {
            // The partition is ignored by subscribe; RD_KAFKA_PARTITION_UA is the documented filler.
            list.add(KafkaTopicPartition(topic: topic, partition: RD_KAFKA_PARTITION_UA))
        }
        try rd_kafka_subscribe(pointer, list.pointer).check("subscribe to \(topics)")
    }

    /// Waits up to `timeoutMilliseconds` for the first message, then takes what is already fetched.
    /// `rd_kafka_consume_batch_queue` alone would wait the whole timeout for a *full* batch, which would stall
    /// a quiet topic. Rebalance, error and log callbacks are served inside these calls.
    func poll(maxRecords: Int, timeoutMilliseconds: Int32) throws(KafkaError) -> [KafkaRecord] {
        guard let queue = consumerQueue else { throw KafkaError.closed("consumer") }
        try throwIfFatal()
        let capacity = max(1, maxRecords)
        let messages = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
        defer { messages.deallocate() }

        var count = rd_kafka_consume_batch_queue(queue, 0, messages, capacity)
        if count == 0 {
            count = rd_kafka_consume_batch_queue(queue, timeoutMilliseconds, messages, 1)
            if count == 1, capacity > 1 {
                let more = rd_kafka_consume_batch_queue(queue, 0, messages + 1, capacity - 1)
                count += max(0, more)
            }
        }
        guard count >= 0 else {
            throw KafkaError(rd_kafka_last_error(), message: "consume from the consumer queue failed")
        }

        var decoder = RecordDecoder()
        var records: [KafkaRecord] = []
        records.reserveCapacity(count)
        for index in 0..<count {
            guard let message = messages[index] else { continue }
            defer { rd_kafka_message_destroy(message) }
            if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                records.append(decoder.decode(message))
            } else {
                logConsumerError(message)
            }
        }
        // Records already taken off the queue must reach the caller; a fatal error is thrown by the next poll.
        if records.isEmpty {
            try throwIfFatal()
        }
        return records
    }

    /// A fatal error (e.g. a fenced static member) makes the handle useless; librdkafka keeps it until destroy.
    private func throwIfFatal() throws(KafkaError) {
        var reason = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(pointer, &reason, reason.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        var error = KafkaError(code, message: String(errorBuffer: reason))
        error.isFatal = true
        throw error
    }

    /// Per-partition errors arrive as messages. librdkafka retries the underlying conditions itself (unknown
    /// topic, leader change, ...), so they are logged, not thrown.
    private func logConsumerError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let err = message.pointee.err
        // Only reported when enable.partition.eof is set, and then it is information, not failure.
        guard err != RD_KAFKA_RESP_ERR__PARTITION_EOF else { return }
        let error = KafkaError(err, message: String(cString: rd_kafka_message_errstr(message)))
        var metadata: Logger.Metadata = ["kafka.error": "\(error.codeName)", "kafka.reason": "\(error.message)"]
        if let topic = message.pointee.rkt {
            metadata["kafka.topic"] = "\(String(cString: rd_kafka_topic_name(topic)))"
            metadata["kafka.partition"] = "\(message.pointee.partition)"
        }
        context.logger.log(level: error.isFatal ? .error : .warning, "consumer error", metadata: metadata)
    }

    func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList(offsets.keys) { offsets[$0] }
        let err = rd_kafka_offsets_store(pointer, list.pointer)
        var notAssigned: [KafkaTopicPartition] = []
        for entry in list.entries where entry.error != RD_KAFKA_RESP_ERR_NO_ERROR {
            // A partition revoked while its records were being processed: the new owner will consume them
            // again from the last commit, which at-least-once allows. Not the caller's failure.
            if entry.error == RD_KAFKA_RESP_ERR__STATE || entry.error == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION {
                notAssigned.append(entry.topicPartition)
                continue
            }
            try entry.error.check("store offset \(entry.offset) for \(entry.topicPartition)")
        }
        if !notAssigned.isEmpty {
            context.logger.info(
                "offsets not stored for partitions no longer assigned",
                metadata: ["kafka.partitions": "\(notAssigned.logDescription)"]
            )
        } else {
            try err.check("store offsets")
        }
    }

    /// Synchronous commit of whatever is stored; nothing stored is not an error.
    func commitStored() throws(KafkaError) {
        let err = rd_kafka_commit(pointer, nil, 0)
        if err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            try err.check("commit")
        }
    }

    func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        try rd_kafka_assignment(pointer, &list).check("read assignment")
        guard let list else { return [] }
        return TopicPartitionList(owning: list).entries.map(\.topicPartition)
    }

    func committed(_ partitions: [KafkaTopicPartition], timeoutMilliseconds: Int32) throws(KafkaError) -> [KafkaTopicPartition: Int64?] {
        let list = TopicPartitionList(partitions)
        try rd_kafka_committed(pointer, list.pointer, timeoutMilliseconds).check("read committed offsets")
        var result: [KafkaTopicPartition: Int64?] = [:]
        for entry in list.entries {
            try entry.error.check("read committed offset of \(entry.topicPartition)")
            // Negative values are librdkafka's logical offsets; RD_KAFKA_OFFSET_INVALID means none committed.
            result[entry.topicPartition] = entry.offset >= 0 ? entry.offset : nil
        }
        return result
    }

    /// Reads the given partitions from the given offsets, outside any group's coordination.
    func assign(_ offsets: [KafkaTopicPartition: Int64]) throws(KafkaError) {
        let list = TopicPartitionList(offsets.keys) { offsets[$0] }
        try rd_kafka_assign(pointer, list.pointer).check("assign partitions")
    }

    func watermarks(_ tp: KafkaTopicPartition, timeoutMilliseconds: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        try rd_kafka_query_watermark_offsets(pointer, tp.topic, tp.partition, &low, &high, timeoutMilliseconds)
            .check("query watermarks of \(tp)")
        return (low, high)
    }

    /// Leaves the group: the revoke runs through the rebalance callback, which commits stored offsets first.
    /// librdkafka requires the consumer-queue reference to be released before this.
    func closeConsumer() throws(KafkaError) {
        leaveGroupBeforeClosing()
        if let queue = consumerQueue {
            rd_kafka_queue_destroy(queue)
            consumerQueue = nil
        }
        try rd_kafka_consumer_close(pointer).check("close consumer")
    }

    /// librdkafka (2.0.2 here, and later versions too: confluentinc/librdkafka#4027, #4792) can abort the whole
    /// process when a subscribed consumer is closed while a rebalance is assigning it partitions: the group
    /// terminates with the assignment still in progress. Unsubscribing first, and serving the queue until the
    /// revoke has run, leaves close nothing to race: no subscription, so no further assignment. Records fetched
    /// meanwhile are dropped unstored; the next owner reads them from the committed offset.
    private func leaveGroupBeforeClosing() {
        var subscription: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_subscription(pointer, &subscription) == RD_KAFKA_RESP_ERR_NO_ERROR, let subscription else { return }
        guard !TopicPartitionList(owning: subscription).entries.isEmpty,
              rd_kafka_unsubscribe(pointer) == RD_KAFKA_RESP_ERR_NO_ERROR
        else { return }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, !((try? assignment()) ?? []).isEmpty {
            if let message = rd_kafka_consumer_poll(pointer, 100) {
                rd_kafka_message_destroy(message)
            }
        }
    }
}

/// Installed on every consumer. Runs inside poll/close on the consumer's own queue (librdkafka serves it from
/// the consumer queue), so it may block for the synchronous commit.
let rebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { handle, err, partitions, opaque in
    guard let handle, let opaque else { return }
    let context = CallbackContext.from(opaque: opaque)
    let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
    let changed = partitions.map { list in
        UnsafeMutableBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)).map {
            KafkaTopicPartition(topic: String(cString: $0.topic), partition: $0.partition)
        }
    } ?? []
    let metadata: Logger.Metadata = [
        "kafka.partitions": "\(changed.logDescription)",
        "kafka.rebalance.protocol": "\(cooperative ? "COOPERATIVE" : "EAGER")",
    ]

    switch err {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        context.logger.info("partitions assigned", metadata: metadata)
        context.wasAssigned.store(true, ordering: .releasing)
        var error: KafkaError?
        if cooperative {
            error = rd_kafka_incremental_assign(handle, partitions).map(KafkaError.consuming)
        } else {
            let code = rd_kafka_assign(handle, partitions)
            error = code == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(code)
        }
        if let error {
            context.logger.error("assigning partitions failed", metadata: metadata.merging(["kafka.error": "\(error)"]) { $1 })
        }

    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        context.logger.info("partitions revoked", metadata: metadata)
        // Commit what the application stored before the partitions move to another member, so it does not
        // redo that work. When the assignment was *lost* (session timeout) another member may already own
        // the partitions and the commit would be rejected or, worse, overwrite its progress.
        if rd_kafka_assignment_lost(handle) == 0 {
            let commit = rd_kafka_commit(handle, nil, 0)
            if commit != RD_KAFKA_RESP_ERR_NO_ERROR, commit != RD_KAFKA_RESP_ERR__NO_OFFSET {
                context.logger.warning(
                    "commit before revoke failed",
                    metadata: metadata.merging(["kafka.error": "\(KafkaError(commit))"]) { $1 }
                )
            }
        } else {
            context.logger.warning("assignment lost; stored offsets of revoked partitions are dropped", metadata: metadata)
        }
        if cooperative {
            if let error = rd_kafka_incremental_unassign(handle, partitions).map(KafkaError.consuming) {
                context.logger.error("unassigning partitions failed", metadata: metadata.merging(["kafka.error": "\(error)"]) { $1 })
            }
        } else {
            rd_kafka_assign(handle, nil)
        }

    default:
        // librdkafka's documented recovery for a failed rebalance: drop the assignment, the group retries.
        context.logger.error("rebalance failed", metadata: metadata.merging(["kafka.error": "\(KafkaError(err))"]) { $1 })
        rd_kafka_assign(handle, nil)
    }
}
