import ArgumentParser
import DLQCore
import DLQManager
import Foundation

/// `dlq show ID`: one dead letter, every field.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one dead letter: every field, its headers and payload.",
        discussion: """
            Header values and the key are shown as text when they are UTF-8, else as hex. A JSON payload is
            pretty-printed; a binary one is hex-dumped (the first 4 KB unless --full).
            """
    )

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The dead letter's id (the ID column of `dlq list`).")
    var id: Int64

    @Flag(help: "Print JSON, with the key, value and headers base64-encoded.") var json = false
    @Flag(help: "Show the whole payload, not just its first 4 KB.") var full = false

    func run() async throws {
        let configuration = try options.load()
        let found: (StoredDeadLetter, ReplayHistory)? = try await withConnection(configuration, label: "dlq.show") { connection in
            guard let stored = try await DeadLetterStore().find(id: id, on: connection) else { return nil }
            return (stored, try await ReplayHistory.load(for: stored, on: connection))
        }
        guard let (stored, history) = found else {
            printError("no dead letter with id \(id)")
            throw ExitCode.failure
        }
        if json {
            var document = DeadLetterJSON(stored, includeRecord: true)
            document.replays = history
            try printJSON(document)
        } else {
            print(render(stored, history: history))
        }
    }

    private func render(_ stored: StoredDeadLetter, history: ReplayHistory) -> String {
        let letter = stored.letter
        var fields: [(String, String?)] = [
            ("Status", stored.status),
            ("Ingested", iso8601(stored.ingestedAt)),
            ("DLQ", "\(letter.coordinate.topic) partition \(letter.coordinate.partition) offset \(letter.coordinate.offset)"),
            ("Kafka timestamp", letter.kafkaTimestamp.map(iso8601)),
            ("Format", letter.format.rawValue),
            ("Original topic", letter.originalTopic),
            ("Original partition", letter.originalPartition.map(String.init)),
            ("Original offset", letter.originalOffset.map(String.init)),
            ("Consumer group", letter.consumerGroup),
            ("Consumer", letter.consumer),
            ("Exception", letter.exceptionClass),
            ("Message", letter.errorMessage),
            ("Attempts", letter.attemptCount.map(String.init)),
            ("Failed at", letter.failedAt.map(iso8601)),
            ("Trace id", letter.traceID),
            ("Span id", letter.spanID),
        ]
        if !letter.decodeNotes.isEmpty {
            fields.append(("Decode note", letter.decodeNotes.joined(separator: "; ")))
        }
        if let size = letter.truncatedFrom {
            fields.append(("Stored cut", "the record had \(size) bytes, over ingest.max_record_bytes; not replayable"))
        }
        if let lineage = letter.replayLineage {
            fields.append(("Recurrence", (history.previousID.map { "recurrence of #\($0) " } ?? "recurrence of ")
                + "(\(lineage.origin.text)), replayed by job \(lineage.jobID); replays so far: \(lineage.count)"))
        }
        for entry in history.entries {
            let outcome = switch entry.state {
            case "published":
                "published to \(entry.targetTopic ?? "?") [\(entry.targetPartition.map(String.init) ?? "?")] @\(entry.targetOffset.map(String.init) ?? "?")"
                    + (entry.publishedAt.map { " at \(iso8601($0))" } ?? "")
            case "skipped": "skipped: \(entry.skipReason ?? "")"
            default: entry.state
            }
            fields.append(("Replay job \(entry.jobID)", outcome))
        }
        var lines = ["Dead letter \(stored.id)"]
        for case let (name, value?) in fields {
            lines.append("  " + (name + ":").padding(toLength: 20, withPad: " ", startingAt: 0) + value)
        }

        lines.append("\nHeaders (\(letter.headers.count)):")
        for header in letter.headers {
            lines.append("  \(header.name): " + describe(header.value, inline: true))
        }
        lines.append("\nKey: " + describe(letter.key, inline: true))
        lines.append("\nValue" + (letter.value.map { " (\($0.count) bytes)" } ?? "") + ":")
        lines.append(payload(letter.value))
        if let range = letter.originalEventRange {
            lines.append("\nOriginal event (bytes \(range.lowerBound)..<\(range.upperBound) of the value, published as is on replay):")
            lines.append(payload(letter.originalEvent))
        }
        if let stackTrace = letter.stackTrace {
            lines.append("\nStack trace:\n" + stackTrace)
        }
        return lines.joined(separator: "\n")
    }

    private func describe(_ bytes: [UInt8]?, inline: Bool) -> String {
        guard let bytes else { return "(null)" }
        if let text = BytesView.text(bytes) { return text }
        return "(\(bytes.count) bytes, hex) " + BytesView.hex(Array(bytes.prefix(full ? bytes.count : 256)))
            + (bytes.count > 256 && !full ? "…" : "")
    }

    private func payload(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "  (null)" }
        if let json = BytesView.prettyJSON(bytes) { return json }
        if let text = BytesView.text(bytes) {
            return full || text.count <= 4096 ? text : String(text.prefix(4096)) + "\n... (--full shows all)"
        }
        return BytesView.hexDump(bytes, limit: full ? bytes.count : 4096)
    }
}
