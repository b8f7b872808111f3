/// The convention a dead letter's failure metadata was written in, as recognised by ``EnvelopeDecoder``.
///
/// The raw values are the ones stored in the `format` column, so they must not change.
public enum EnvelopeFormat: String, Sendable, CaseIterable {
    /// The value is a JSON object with `originalEvent` and `failureMetadata` members.
    case jsonEnvelope = "json_envelope"
    /// Spring Kafka's `DeadLetterPublishingRecoverer`: `kafka_dlt-*` headers.
    case spring = "spring"
    /// Kafka Connect's error reporter with `errors.deadletterqueue.context.headers.enable`: `__connect.errors.*` headers.
    case connect = "connect"
    /// Kafka Streams' dead-letter queue: `__streams.errors.*` headers.
    case streams = "streams"
    /// Hand-rolled conventions such as `retry-count` or `dead-letter-reason` headers.
    case plainHeaders = "plain_headers"
    /// Nothing recognised: only the bytes and what the DLQ topic's name implies.
    case raw = "raw"
}
