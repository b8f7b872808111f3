/// Reads the `__connect.errors.*` headers Kafka Connect's dead-letter reporter adds when
/// `errors.deadletterqueue.context.headers.enable` is on.
///
/// All values are UTF-8 strings, numbers in decimal. The connector name becomes ``DeadLetter/consumer`` and,
/// following Connect's sink naming, `connect-<name>` the ``DeadLetter/consumerGroup``. `task.id`, `stage` and
/// `class.name` have no field of their own and stay in the stored headers. `exception.message` is absent
/// when the exception had none; that is not a decoding problem and is not noted.
enum ConnectHeadersReader {
    static let prefix = "__connect.errors."

    static func recognises(_ headers: HeaderLookup) -> Bool {
        headers.containsName(withPrefix: prefix)
    }

    static func read(_ headers: HeaderLookup, into letter: inout DeadLetter, notes: inout DecodeNotes) {
        let fields = HeaderFieldReader(headers: headers)
        letter.format = .connect
        fields.readDecimalOrigin(prefix: prefix, into: &letter, notes: &notes)
        if let connector = fields.nonEmptyText(prefix + "connector.name", notes: &notes) {
            letter.consumer = connector
            letter.consumerGroup = "connect-" + connector
        }
        letter.exceptionClass = fields.text(prefix + "exception.class.name", notes: &notes)
        letter.errorMessage = fields.text(prefix + "exception.message", notes: &notes)
        letter.stackTrace = fields.text(prefix + "exception.stacktrace", notes: &notes)
    }
}
