/// Reads the `__streams.errors.*` headers Kafka Streams' dead-letter queue (KIP-1034) adds.
///
/// Values are UTF-8 strings, partition and offset in decimal. Streams has no consumer-group header (the group
/// is the application id), so ``DeadLetter/consumerGroup`` stays nil.
enum StreamsHeadersReader {
    static let prefix = "__streams.errors."

    static func recognises(_ headers: HeaderLookup) -> Bool {
        headers.containsName(withPrefix: prefix)
    }

    static func read(_ headers: HeaderLookup, into letter: inout DeadLetter, notes: inout DecodeNotes) {
        let fields = HeaderFieldReader(headers: headers)
        letter.format = .streams
        fields.readDecimalOrigin(prefix: prefix, into: &letter, notes: &notes)
        letter.exceptionClass = fields.text(prefix + "exception", notes: &notes)
        letter.errorMessage = fields.text(prefix + "message", notes: &notes)
        letter.stackTrace = fields.text(prefix + "stacktrace", notes: &notes)
    }
}
