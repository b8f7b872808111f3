import CLibPQ
import Dispatch
import Logging
import Synchronization

/// Owns one libpq connection (`PGconn*`) and the serial queue every libpq call for it runs on.
///
/// `@unchecked Sendable` is safe because `connection` is only read or written inside blocks on `queue`,
/// a serial queue owned by this object: libpq forbids using one `PGconn` from two threads at once, and
/// the queue is what guarantees it. The queue also keeps libpq's blocking calls off the Swift cooperative
/// pool; async callers suspend on a continuation until their block has run. `closed` is atomic so
/// `isClosed` can be read from any thread without a trip through the queue.
final class LibPQConnection: @unchecked Sendable {
    private let queue = DispatchQueue(label: "dlq.postgres.connection")
    private var connection: OpaquePointer?
    private let closed = Atomic<Bool>(false)
    /// Kept alive as long as the connection, because libpq holds an unretained pointer to it.
    private let notices: NoticeLogger

    private init(logger: Logger) {
        notices = NoticeLogger(logger: logger)
    }

    deinit {
        // No block can be running: each one holds a strong reference to self until it finishes.
        if let connection {
            PQfinish(connection)
        }
    }

    /// Opens a connection with libpq's keyword/value parameters; a `dbname` value may itself be a
    /// connection string or URL, expanded by libpq, with later keywords overriding what it sets.
    static func connect(parameters: [(String, String)], logger: Logger) async throws -> LibPQConnection {
        let owner = LibPQConnection(logger: logger)
        try await owner.onQueue {
            let connection = withCStringArray(parameters.map(\.0)) { keywords in
                withCStringArray(parameters.map(\.1)) { values in
                    PQconnectdbParams(keywords, values, 1)
                }
            }
            guard let connection else {
                throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
            }
            guard PQstatus(connection) == CONNECTION_OK else {
                let message = LibPQ.errorMessage(connection)
                PQfinish(connection)
                throw PostgresError(kind: .connection, message: message)
            }
            // libpq's default prints notices (e.g. "relation already exists, skipping") to stderr.
            PQsetNoticeReceiver(connection, receiveNotice, Unmanaged.passUnretained(owner.notices).toOpaque())
            owner.connection = connection
        }
        return owner
    }

    var isClosed: Bool {
        closed.load(ordering: .acquiring)
    }

    /// Runs `body` with the connection on the connection's queue and returns its result.
    ///
    /// Afterwards the connection's status is checked: once libpq reports it broken (backend terminated,
    /// network gone), the connection counts as closed and the error is reported as a connection failure,
    /// whatever the statement's own result said.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await onQueue {
            guard let connection = self.connection, !self.isClosed else {
                throw PostgresError.connectionClosed
            }
            do {
                let result = try body(connection)
                self.markClosedIfBroken(connection)
                return result
            } catch var error as PostgresError {
                if self.markClosedIfBroken(connection), error.kind != .decoding {
                    error.kind = .connection
                }
                throw error
            }
        }
    }

    /// Starts `body` with the connection on the connection's queue and returns without waiting for it.
    ///
    /// For a loop that keeps the connection to itself until it returns (a notification listener's): calls
    /// made meanwhile, `close()` included, wait behind it, so the loop must end soon after being asked to.
    /// `body` gets `nil` if the connection is closed by then, so it can still end what it started.
    func start(_ body: @escaping @Sendable (OpaquePointer?) -> Void) {
        queue.async {
            guard let connection = self.connection, !self.isClosed else {
                body(nil)
                return
            }
            body(connection)
            self.markClosedIfBroken(connection)
        }
    }

    /// Closes the connection; later calls fail with a connection error. Safe to call more than once.
    func close() async {
        try? await onQueue {
            self.closed.store(true, ordering: .releasing)
            if let connection = self.connection {
                PQfinish(connection)
                self.connection = nil
            }
        }
    }

    @discardableResult
    private func markClosedIfBroken(_ connection: OpaquePointer) -> Bool {
        if PQstatus(connection) != CONNECTION_OK {
            closed.store(true, ordering: .releasing)
            return true
        }
        return false
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

/// Where a connection's server notices and warnings go: the connection's logger, at debug level, with only
/// the SQLSTATE and primary message (a notice's detail may quote data, as an error's does).
private final class NoticeLogger: Sendable {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }
}

/// libpq's notice callback: a C function pointer, so it captures nothing and finds its logger through `context`.
private func receiveNotice(context: UnsafeMutableRawPointer?, result: OpaquePointer?) {
    guard let context, let result else {
        return
    }
    let notices = Unmanaged<NoticeLogger>.fromOpaque(context).takeUnretainedValue()
    let notice = LibPQ.resultError(result)
    notices.logger.debug("PostgreSQL notice", metadata: [
        "sqlstate": "\(notice.sqlState ?? "none")", "message": "\(notice.message)",
    ])
}

/// Calls `body` with a NULL-terminated `const char *[]` of `strings`, as libpq's keyword/value APIs take.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>] = strings.map { string in
        let utf8 = string.utf8CString
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        utf8.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: utf8.count) }
        return copy
    }
    defer { copies.forEach { $0.deallocate() } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
