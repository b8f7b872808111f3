import Logging

/// A dedicated connection that LISTENs on channels and yields notifications as they arrive.
///
/// The connection does nothing else: it waits on its socket on its own queue (never on the Swift cooperative
/// pool) and wakes the moment the server sends a notification. Delivery is best effort. ``notifications``
/// ends when the connection is lost or closed, and the caller reconnects; whatever was sent while no
/// listener was connected is gone, so callers poll as a fallback. `NOTIFY` is per database: a listener hears
/// only notifications sent in the database it is connected to.
public final class PostgresNotificationListener: Sendable {
    /// How many notifications may wait for a slow consumer. Beyond it the oldest are dropped rather than
    /// the process's memory growing: a lost notification only delays a caller until its next poll.
    static let bufferLimit = 10_000

    /// TCP keepalives so a connection that dies silently (a NAT or firewall dropping it) is noticed within
    /// about a minute, instead of the listener waiting forever on a socket that will never be readable.
    /// They come before the connection string, so a string that sets its own wins.
    private static let keepaliveParameters = [
        ("keepalives", "1"), ("keepalives_idle", "30"), ("keepalives_interval", "10"), ("keepalives_count", "3"),
    ]

    private let libpq: LibPQConnection
    private let loop: LibPQNotificationLoop
    private let logger: Logger
    /// The listening backend's process ID, e.g. for `pg_terminate_backend`.
    let backendProcessID: Int32

    /// The notifications on the listened channels, in the order their transactions committed. Meant for one
    /// consumer. Ends when the connection is lost or ``close()`` is called; a consumer that stops iterating
    /// stops the listening too, but only ``close()`` releases the connection.
    public let notifications: AsyncStream<PostgresNotification>

    private init(libpq: LibPQConnection, loop: LibPQNotificationLoop, notifications: AsyncStream<PostgresNotification>, backendProcessID: Int32, logger: Logger) {
        self.libpq = libpq
        self.loop = loop
        self.notifications = notifications
        self.backendProcessID = backendProcessID
        self.logger = logger
    }

    deinit {
        // The loop holds the connection's queue until told to stop; without this a dropped listener would
        // keep its connection (and a GCD thread) forever.
        loop.stop()
    }

    /// Connects with a libpq connection string (a URL or key/value conninfo, as for
    /// ``PostgresConnection/connect(to:logger:)``) and listens on `channels`. Notifications sent once this
    /// returns are delivered. Channel names are taken exactly as given, case included, as `pg_notify` takes them.
    public static func listen(to connectionString: String, channels: [String], logger: Logger) async throws -> PostgresNotificationListener {
        try await listen(to: connectionString, database: nil, channels: channels, logger: logger)
    }

    /// Listens as ``listen(to:channels:logger:)`` does, but in `database` instead of the one the string
    /// names: notifications are delivered only within one database.
    public static func listen(to connectionString: String, database: String?, channels: [String], logger: Logger) async throws -> PostgresNotificationListener {
        guard !channels.isEmpty, !channels.contains(where: \.isEmpty) else {
            throw PostgresError.misuse("a notification listener needs at least one channel, and every channel a name")
        }
        var parameters = keepaliveParameters
        parameters.append(("dbname", connectionString))
        if let database {
            parameters.append(("dbname", database))
        }
        parameters.append(("client_encoding", "UTF8"))
        let libpq: LibPQConnection
        let backendProcessID: Int32
        do {
            libpq = try await LibPQConnection.connect(parameters: parameters, logger: logger)
            do {
                backendProcessID = try await libpq.withConnection { try LibPQNotificationLoop.listen($0, channels: channels) }
            } catch {
                await libpq.close()
                throw error
            }
        } catch {
            logger.debug("could not listen for PostgreSQL notifications", metadata: ["error": "\(error)"])
            throw error
        }
        let (notifications, continuation) = AsyncStream.makeStream(of: PostgresNotification.self, bufferingPolicy: .bufferingNewest(bufferLimit))
        let loop = LibPQNotificationLoop(continuation: continuation, logger: logger)
        libpq.start(loop.run)
        logger.debug("listening for PostgreSQL notifications", metadata: ["channels": "\(channels)"])
        return PostgresNotificationListener(libpq: libpq, loop: loop, notifications: notifications, backendProcessID: backendProcessID, logger: logger)
    }

    /// Stops listening: ends ``notifications`` at once, then closes the connection. Closing twice is harmless.
    public func close() async {
        loop.stop()
        // Queued behind the loop, so this waits until the loop has noticed the stop and let go of the connection.
        await libpq.close()
        logger.debug("closed PostgreSQL notification listener")
    }
}
