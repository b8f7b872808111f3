/// Recognises and reads the JSON envelope: a value that is a JSON object with `originalEvent` and
/// `failureMetadata` members.
///
/// `originalEvent` is located, never re-encoded: its byte span becomes ``DeadLetter/originalEventRange`` so replay
/// publishes exactly what the failing consumer received. `failureMetadata` members are read leniently: a member of
/// the wrong type is noted and skipped, and the record is still a JSON envelope. Numbers may also arrive as
/// decimal strings (`"attemptCount": "3"`), which many producers emit. When members repeat, the last wins.
///
/// Trace context for the event may be carried in a top-level `originalHeaders` object or in
/// `originalEvent.headers`, both as string values; they are returned for the decoder to use when the record's
/// own headers carry none.
enum JSONEnvelopeReader {
    /// Headers found inside the envelope, with the name notes should use for where they came from.
    typealias EmbeddedHeaders = (source: String, headers: HeaderLookup)

    private static let metadataDepthLimit = 8

    /// - Returns: nil when `value` is not a JSON envelope (nothing in `letter` is changed then), otherwise the
    ///   embedded header sets in precedence order.
    static func read(_ value: [UInt8], into letter: inout DeadLetter, notes: inout DecodeNotes) -> [EmbeddedHeaders]? {
        // Only a value that starts like an object can be an envelope, and only then is invalid JSON worth a note:
        // binary or text payloads are not "broken JSON".
        guard let first = value.first(where: { !isJSONWhitespace($0) }), first == UInt8(ascii: "{") else { return nil }
        let envelope: JSONMemberCollector
        switch JSONMemberCollector.collect(value) {
        case .failure(let error):
            notes.add("value is not valid JSON: \(error.reason) at byte \(error.offset)")
            return nil
        case .success(let collector):
            envelope = collector
        }
        let members = envelope.members
        guard let event = members.last(where: { $0.name == "originalEvent" }),
              let metadata = members.last(where: { $0.name == "failureMetadata" })
        else { return nil }

        letter.format = .jsonEnvelope
        letter.originalEventRange = event.valueRange
        for name in ["originalEvent", "failureMetadata"] where members.count(where: { $0.name == name }) > 1 {
            notes.add("\(name) appears more than once; the last one is used")
        }
        readFailureMetadata(value, range: metadata.valueRange, into: &letter, notes: &notes)

        var embedded: [EmbeddedHeaders] = []
        if let headers = members.last(where: { $0.name == "originalHeaders" }) {
            embedded.append(("originalHeaders", stringHeaders(value, range: headers.valueRange)))
        }
        if value[event.valueRange.lowerBound] == UInt8(ascii: "{"),
           case .success(let eventMembers) = JSONMemberCollector.collect(value, range: event.valueRange),
           let headers = eventMembers.members.last(where: { $0.name == "headers" }) {
            embedded.append(("originalEvent.headers", stringHeaders(value, range: headers.valueRange)))
        }
        return embedded
    }

    private static func readFailureMetadata(_ value: [UInt8], range: Range<Int>, into letter: inout DeadLetter, notes: inout DecodeNotes) {
        let builder: JSONValueBuilder
        switch JSONValueBuilder.parse(value, range: range, maxDepth: metadataDepthLimit) {
        case .failure(let error):
            // Unreachable for a value the envelope scan accepted; kept so a scanner bug degrades to a note.
            notes.add("failureMetadata: not valid JSON: \(error.reason) at byte \(error.offset)")
            return
        case .success(let built):
            builder = built
        }
        if builder.replacedLoneSurrogate {
            notes.add("failureMetadata: unpaired UTF-16 surrogate escapes replaced with U+FFFD")
        }
        guard let metadata = builder.root, case .object = metadata else {
            notes.add("failureMetadata: expected an object, found \(builder.root?.kindDescription ?? "nothing"); ignored")
            return
        }

        var fields = JSONFieldReader(notes: notes)
        defer { notes = fields.notes }
        letter.consumer = fields.string(metadata[member: "consumer"], "failureMetadata.consumer")
        letter.consumerGroup = fields.string(metadata[member: "consumerGroup"], "failureMetadata.consumerGroup")
        letter.attemptCount = fields.integer(metadata[member: "attemptCount"], "failureMetadata.attemptCount", as: Int32.self)
        letter.failedAt = fields.date(metadata[member: "lastAttemptAt"], "failureMetadata.lastAttemptAt")
        letter.originalTopic = fields.string(metadata[member: "originalTopic"], "failureMetadata.originalTopic", allowEmpty: false)
        letter.originalPartition = fields.integer(metadata[member: "originalPartition"], "failureMetadata.originalPartition", as: Int32.self)
        letter.originalOffset = fields.integer(metadata[member: "originalOffset"], "failureMetadata.originalOffset", as: Int64.self)

        let path = "failureMetadata.lastError"
        switch metadata[member: "lastError"] {
        case nil, .null?:
            break
        case .string?:
            letter.errorMessage = fields.string(metadata[member: "lastError"], path)
        case .object(let errorMembers)?:
            let error = JSONValue.object(errorMembers)
            // Java-minded producers say `class`, JavaScript-minded ones `type` or `name`.
            let classMember = ["class", "type", "exceptionClass", "name"].first { error[member: $0] != nil } ?? "class"
            letter.exceptionClass = fields.string(error[member: classMember], "\(path).\(classMember)")
            letter.errorMessage = fields.string(error[member: "message"], "\(path).message")
            let traceMember = ["stackTrace", "stacktrace", "stack"].first { error[member: $0] != nil } ?? "stackTrace"
            letter.stackTrace = fields.stackTrace(error[member: traceMember], "\(path).\(traceMember)")
        case let other?:
            fields.notes.add("\(path): expected a string or an object, found \(other.kindDescription); ignored")
        }
    }

    /// The string-valued members of the object at `range` as headers; anything else there is not a header value.
    private static func stringHeaders(_ value: [UInt8], range: Range<Int>) -> HeaderLookup {
        guard case .success(let builder) = JSONValueBuilder.parse(value, range: range, maxDepth: 1),
              case .object(let members)? = builder.root
        else { return HeaderLookup([]) }
        return HeaderLookup(members.compactMap { member in
            guard case .string(let text) = member.value else { return nil }
            return RecordHeader(name: member.name, text: text)
        })
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
