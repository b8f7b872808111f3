import CLibPQ
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The libpq side of `PostgresNotificationListener`: subscribes a connection to its channels, then waits on
/// the connection's socket and hands every notification to a stream.
///
/// libpq only sees a notification when something reads the socket, and a listening connection sends no
/// queries, so `run(_:)` reads whenever the socket becomes readable. It runs on the connection's own queue
/// (`LibPQConnection.start`), a GCD thread, never the cooperative pool, and keeps that queue until it
/// returns: it wakes at least every `pollTimeoutMilliseconds` to see whether `stop()` was called.
final class LibPQNotificationLoop: Sendable {
    /// The longest one wait on the socket lasts, i.e. how long `stop()` may take to free the connection's
    /// queue for `close()`. Costs no latency: a notification ends the wait as soon as it arrives.
    static let pollTimeoutMilliseconds: Int32 = 50

    private let continuation: AsyncStream<PostgresNotification>.Continuation
    private let stopRequested = Atomic<Bool>(false)
    private let logger: Logger

    init(continuation: AsyncStream<PostgresNotification>.Continuation, logger: Logger) {
        self.continuation = continuation
        self.logger = logger
        // A consumer that stops iterating no longer needs the loop; weak, or the stream would keep it alive.
        continuation.onTermination = { [weak self] _ in
            self?.stopRequested.store(true, ordering: .releasing)
        }
    }

    /// Sends `LISTEN` for every channel and returns the backend's process ID.
    ///
    /// Each name is quoted as an identifier: it then matches exactly the string given to `pg_notify` (an
    /// unquoted name would be folded to lower case), and no name can be read as SQL.
    static func listen(_ connection: OpaquePointer, channels: [String]) throws -> Int32 {
        let statements = try channels.map { "LISTEN \(try quotedIdentifier(connection, $0))" }
        try LibPQ.executeScript(connection, statements.joined(separator: "; "))
        return PQbackendPID(connection)
    }

    /// Ends the stream now and the loop within `pollTimeoutMilliseconds`.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        continuation.finish()
    }

    /// Delivers notifications until `stop()` is called or the connection is lost, then ends the stream.
    /// `connection` is `nil` when it was closed before the loop started.
    func run(_ connection: OpaquePointer?) {
        defer { continuation.finish() }
        guard let connection else {
            return
        }
        while !stopRequested.load(ordering: .acquiring) {
            // libpq may already hold notifications it read along with an earlier result, e.g. LISTEN's.
            deliverBuffered(connection)
            let socket = PQsocket(connection)
            guard socket >= 0 else {
                logger.debug("PostgreSQL notification listener lost its connection", metadata: ["error": "\(LibPQ.errorMessage(connection))"])
                return
            }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Self.pollTimeoutMilliseconds)
            if ready == 0 || (ready < 0 && errno == EINTR) {
                continue
            }
            guard ready > 0 else {
                logger.debug("waiting on the PostgreSQL socket failed", metadata: ["errno": "\(errno)"])
                return
            }
            // Readable means a notification, a notice or error (e.g. the backend was terminated; it goes to
            // the notice receiver), or end of file, which PQconsumeInput reports as a failure.
            guard PQconsumeInput(connection) == 1, PQstatus(connection) == CONNECTION_OK else {
                // What arrived before the connection broke is still worth delivering.
                deliverBuffered(connection)
                logger.debug("PostgreSQL notification listener lost its connection", metadata: ["error": "\(LibPQ.errorMessage(connection))"])
                return
            }
        }
    }

    private func deliverBuffered(_ connection: OpaquePointer) {
        while let notify = PQnotifies(connection) {
            let notification = PostgresNotification(
                channel: String(cString: notify.pointee.relname),
                payload: notify.pointee.extra.map { String(cString: $0) } ?? "",
                processID: notify.pointee.be_pid)
            PQfreemem(notify)
            if case .dropped = continuation.yield(notification) {
                logger.debug("dropped a PostgreSQL notification: the consumer is behind", metadata: ["channel": "\(notification.channel)"])
            }
        }
    }

    private static func quotedIdentifier(_ connection: OpaquePointer, _ name: String) throws -> String {
        guard let quoted = PQescapeIdentifier(connection, name, name.utf8.count) else {
            throw PostgresError.misuse("cannot quote channel name: \(LibPQ.errorMessage(connection))")
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }
}
