/// A notification sent with `NOTIFY channel, 'payload'` or `pg_notify('channel', 'payload')`, as a
/// ``PostgresNotificationListener`` receives it.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel it was sent on, exactly as the sender spelled it (`pg_notify` does not fold case).
    public var channel: String
    /// The payload; empty when the sender gave none. May carry data, so it is not worth logging.
    public var payload: String
    /// The process ID of the server backend that sent it, i.e. of the sending session.
    public var processID: Int32

    public init(channel: String, payload: String, processID: Int32) {
        self.channel = channel
        self.payload = payload
        self.processID = processID
    }
}
