import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 that stands in for PagerDuty, Slack, a webhook receiver or Alertmanager:
/// it records every request and answers from a script, so tests exercise real sockets, real timeouts and real
/// status codes instead of a mocked client.
///
/// Answers are taken in arrival order from `responses`, then `default` for every later request. Waiting for
/// requests is condition-based (``waitForRequests(count:timeout:)``), never a sleep.
final class RecordingHTTPServer: Sendable {
    /// One request as the server received it.
    struct RecordedRequest: Sendable {
        var method: String
        /// The request target as sent: path and query.
        var uri: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        /// When the request's head arrived, for tests about retry spacing.
        var arrivedAt: ContinuousClock.Instant

        /// The first value of header `name` (case-insensitive).
        func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            return headers.first { $0.name.lowercased() == lowered }?.value
        }

        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// How the server answers one request.
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        /// Wait this long before answering (a slow receiver).
        var delay: Duration?
        /// Never answer, keeping the connection open until the client gives up or the server shuts down.
        var neverAnswers: Bool

        static func status(_ status: Int, headers: [(name: String, value: String)] = [], body: String = "") -> Response {
            Response(status: status, headers: headers, body: Array(body.utf8), delay: nil, neverAnswers: false)
        }

        /// Reads the request and never answers: for client timeouts.
        static let noAnswer = Response(status: 0, headers: [], body: [], delay: nil, neverAnswers: true)

        /// The same answer, after `delay`.
        func delayed(by delay: Duration) -> Response {
            var copy = self
            copy.delay = delay
            return copy
        }
    }

    let port: Int
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    var url: String { "http://127.0.0.1:\(port)" }

    private let serverChannel: any Channel
    private let recorder: Recorder

    private init(serverChannel: any Channel, port: Int, recorder: Recorder) {
        self.serverChannel = serverChannel
        self.port = port
        self.recorder = recorder
    }

    /// Binds `port` on 127.0.0.1 (0: a free one) and starts answering.
    static func start(port requestedPort: Int = 0, responses: [Response] = [], default defaultResponse: Response = .status(200)) async throws
        -> RecordingHTTPServer
    {
        let recorder = Recorder(plan: responses, defaultResponse: defaultResponse)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                recorder.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(recorder: recorder))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: requestedPort).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw TestSetupError("the recording HTTP server has no local port")
        }
        return RecordingHTTPServer(serverChannel: channel, port: port, recorder: recorder)
    }

    /// A port that nothing listens on right now, for a sink that is down until a test starts a server there.
    static func freePort() async throws -> Int {
        let server = try await start()
        let port = server.port
        try await server.shutdown()
        return port
    }

    /// Every request received so far, in arrival order.
    func requests() -> [RecordedRequest] {
        recorder.requests()
    }

    /// All requests received, once there are at least `count`; throws if that takes longer than `timeout`.
    func waitForRequests(count: Int, timeout: Duration) async throws -> [RecordedRequest] {
        let recorder = self.recorder
        return try await withThrowingTaskGroup(of: [RecordedRequest].self) { group in
            group.addTask { try await recorder.waitUntil(count: count) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TestSetupError(
                    "timed out after \(timeout) waiting for \(count) requests; got \(recorder.requests().count)"
                )
            }
            defer { group.cancelAll() }
            guard let requests = try await group.next() else { throw CancellationError() }
            return requests
        }
    }

    /// Stops listening and closes open connections (including ones left waiting by ``Response/noAnswer``).
    func shutdown() async throws {
        try? await serverChannel.close()
        for channel in recorder.stopTracking() {
            try? await channel.close()
        }
        recorder.failWaiters()
    }

    /// The state shared between the event loops that receive requests and the tests that read them.
    private final class Recorder: Sendable {
        private struct Waiter {
            var count: Int
            var continuation: CheckedContinuation<[RecordedRequest], any Error>
        }

        private struct State {
            var requests: [RecordedRequest] = []
            var plan: [Response]
            var defaultResponse: Response
            var waiters: [Int: Waiter] = [:]
            var cancelledWaiters: Set<Int> = []
            var nextWaiterID = 0
            var channels: [ObjectIdentifier: any Channel] = [:]
            var isShutDown = false
        }

        private let state: Mutex<State>

        init(plan: [Response], defaultResponse: Response) {
            state = Mutex(State(plan: plan, defaultResponse: defaultResponse))
        }

        func requests() -> [RecordedRequest] {
            state.withLock { $0.requests }
        }

        /// Records `request` and returns the answer the script gives it.
        func record(_ request: RecordedRequest) -> Response {
            let (response, ready) = state.withLock { state -> (Response, [Waiter]) in
                state.requests.append(request)
                let response = state.plan.isEmpty ? state.defaultResponse : state.plan.removeFirst()
                let ready = state.waiters.filter { $0.value.count <= state.requests.count }
                for id in ready.keys { state.waiters[id] = nil }
                return (response, Array(ready.values))
            }
            let requests = self.requests()
            for waiter in ready { waiter.continuation.resume(returning: requests) }
            return response
        }

        func waitUntil(count: Int) async throws -> [RecordedRequest] {
            let id = state.withLock { state in
                state.nextWaiterID += 1
                return state.nextWaiterID
            }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let immediate = state.withLock { state -> Result<[RecordedRequest], any Error>? in
                        if state.requests.count >= count { return .success(state.requests) }
                        if state.isShutDown { return .failure(TestSetupError("the server was shut down")) }
                        // Cancelled before the continuation existed: the handler below found nothing to resume.
                        if state.cancelledWaiters.remove(id) != nil { return .failure(CancellationError()) }
                        state.waiters[id] = Waiter(count: count, continuation: continuation)
                        return nil
                    }
                    if let immediate { continuation.resume(with: immediate) }
                }
            } onCancel: {
                let waiter = state.withLock { state -> Waiter? in
                    if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                    state.cancelledWaiters.insert(id)
                    return nil
                }
                waiter?.continuation.resume(throwing: CancellationError())
            }
        }

        func track(_ channel: any Channel) {
            let id = ObjectIdentifier(channel)
            let accepted = state.withLock { state in
                guard !state.isShutDown else { return false }
                state.channels[id] = channel
                return true
            }
            guard accepted else {
                channel.close(promise: nil)
                return
            }
            channel.closeFuture.whenComplete { _ in
                self.state.withLock { _ = $0.channels.removeValue(forKey: id) }
            }
        }

        func stopTracking() -> [any Channel] {
            state.withLock { state in
                state.isShutDown = true
                defer { state.channels = [:] }
                return Array(state.channels.values)
            }
        }

        func failWaiters() {
            let waiters = state.withLock { state in
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters {
                waiter.continuation.resume(throwing: TestSetupError("the server was shut down"))
            }
        }
    }

    /// Collects one request's parts and answers at its end. Lives on its channel's event loop.
    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let recorder: Recorder
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []
        private var arrivedAt = ContinuousClock.now

        init(recorder: Recorder) {
            self.recorder = recorder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
                arrivedAt = .now
            case .body(let buffer):
                body.append(contentsOf: buffer.readableBytesView)
            case .end:
                guard let head else { return }
                self.head = nil
                let request = RecordedRequest(
                    method: head.method.rawValue,
                    uri: head.uri,
                    headers: head.headers.map { (name: $0.name, value: $0.value) },
                    body: body,
                    arrivedAt: arrivedAt
                )
                let response = recorder.record(request)
                guard !response.neverAnswers else { return }
                let keepAlive = head.isKeepAlive
                if let delay = response.delay {
                    let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                    let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
                    context.eventLoop.scheduleTask(in: Self.timeAmount(delay)) {
                        handler.value.respond(response, keepAlive: keepAlive, context: bound.value)
                    }
                } else {
                    respond(response, keepAlive: keepAlive, context: context)
                }
            }
        }

        private func respond(_ response: Response, keepAlive: Bool, context: ChannelHandlerContext) {
            var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
            headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
            if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
            let head = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers
            )
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !response.body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
            }
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        }

        private static func timeAmount(_ duration: Duration) -> TimeAmount {
            let (seconds, attoseconds) = duration.components
            return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
    }
}
