#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns a consumed DLQ record into a ``DeadLetter``: detects the envelope format, decodes the failure
/// metadata and trace context, and keeps the record's bytes untouched.
///
/// Formats are tried in a fixed order and the first that matches wins: JSON envelope (the value), Spring Kafka
/// (`kafka_dlt-*`), Kafka Connect (`__connect.errors.*`), Kafka Streams (`__streams.errors.*`), plain headers,
/// then raw. Whatever the format, a missing original topic is derived from the DLQ topic's name by
/// ``OriginalTopicRules``, and trace context is read from the record's headers (`traceparent` over `b3` over
/// `X-B3-*`), falling back to headers embedded in a JSON envelope.
///
/// Decoding is total: it never throws or traps, runs in time linear in the record's size and in constant stack
/// depth (JSON nesting is tracked on the heap), so one hostile record cannot stall or crash ingestion.
/// What cannot be decoded is left nil and explained in ``DeadLetter/decodeNotes``.
public struct EnvelopeDecoder: Sendable {
    public var originalTopicRules: OriginalTopicRules

    public init(originalTopicRules: OriginalTopicRules = .default) {
        self.originalTopicRules = originalTopicRules
    }

    /// Never throws, never traps, bounded time and stack for ANY input.
    public func decode(
        coordinate: DLQCoordinate,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [RecordHeader],
        kafkaTimestamp: Date?
    ) -> DeadLetter {
        var letter = DeadLetter(
            coordinate: coordinate, key: key, value: value, headers: headers, kafkaTimestamp: kafkaTimestamp)
        var notes = DecodeNotes()
        let lookup = HeaderLookup(headers)

        var embeddedHeaders: [JSONEnvelopeReader.EmbeddedHeaders] = []
        if let value, let embedded = JSONEnvelopeReader.read(value, into: &letter, notes: &notes) {
            embeddedHeaders = embedded
        } else if SpringHeadersReader.recognises(lookup) {
            SpringHeadersReader.read(lookup, into: &letter, notes: &notes)
        } else if ConnectHeadersReader.recognises(lookup) {
            ConnectHeadersReader.read(lookup, into: &letter, notes: &notes)
        } else if StreamsHeadersReader.recognises(lookup) {
            StreamsHeadersReader.read(lookup, into: &letter, notes: &notes)
        } else if PlainHeadersReader.recognises(lookup) {
            PlainHeadersReader.read(lookup, into: &letter, notes: &notes)
        }

        var trace = TraceContextReader.read(lookup, source: "header ", notes: &notes)
        for embedded in embeddedHeaders where trace == nil {
            trace = TraceContextReader.read(embedded.headers, source: embedded.source + ".", notes: &notes)
        }
        letter.traceID = trace?.traceID
        letter.spanID = trace?.spanID
        if lookup.value(ReplayLineage.jobHeader) != nil {
            letter.replayLineage = ReplayLineage(headers: headers)
        }

        if letter.originalTopic == nil, let derived = originalTopicRules.originalTopic(forDLQTopic: coordinate.topic) {
            letter.originalTopic = StorableText.sanitize(derived).text
        }
        letter.decodeNotes = notes.entries
        return letter
    }
}
