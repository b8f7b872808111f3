@testable import Postgres
import Testing

/// A listener hears what is committed on its channels, in commit order, and its stream ends when the
/// listener is closed or its connection is lost.
///
/// Where a test shows that something did not arrive, it sends a marker afterwards and expects the marker
/// next: notifications arrive in commit order, so this needs no sleeping. The time limit is for a broken
/// listener, whose stream would otherwise be awaited forever.
@Suite(.temporaryDatabase, .timeLimit(.minutes(1)))
struct NotificationListenerTests {
    private func notify(_ channel: String, _ payload: String, on connection: PostgresConnection) async throws {
        try await connection.execute("SELECT pg_notify(\(channel), \(payload))")
    }

    @Test func aNotifyFromAnotherConnectionArrivesWithItsChannelPayloadAndSender() async throws {
        let channel = TestDatabase.uniqueChannel("dlq_alerts")
        let listener = try await TestDatabase.listen(to: [channel])
        var arrivals = listener.notifications.makeAsyncIterator()
        let senderProcessID = try await TestDatabase.withConnection { sender in
            try await notify(channel, "hello", on: sender)
            return try await sender.query("SELECT pg_backend_pid() AS pid").first!.decode(Int32.self, column: "pid")
        }
        #expect(await arrivals.next() == PostgresNotification(channel: channel, payload: "hello", processID: senderProcessID))
        await listener.close()
    }

    @Test func severalNotificationsArriveInTheOrderTheyWereSent() async throws {
        let channel = TestDatabase.uniqueChannel("dlq_alerts")
        let listener = try await TestDatabase.listen(to: [channel])
        var arrivals = listener.notifications.makeAsyncIterator()
        let payloads = (1...20).map { "alert \($0)" }
        try await TestDatabase.withConnection { sender in
            for payload in payloads {
                try await notify(channel, payload, on: sender)
            }
        }
        var received: [String] = []
        while received.count < payloads.count, let notification = await arrivals.next() {
            received.append(notification.payload)
        }
        #expect(received == payloads)
        await listener.close()
    }

    @Test func everyListenedChannelIsHeard() async throws {
        let alerts = TestDatabase.uniqueChannel("dlq_alerts")
        let replays = TestDatabase.uniqueChannel("dlq_replays")
        let listener = try await TestDatabase.listen(to: [alerts, replays])
        var arrivals = listener.notifications.makeAsyncIterator()
        try await TestDatabase.withConnection { sender in
            try await notify(alerts, "a", on: sender)
            try await notify(replays, "r", on: sender)
        }
        #expect(await arrivals.next()?.channel == alerts)
        #expect(await arrivals.next()?.channel == replays)
        await listener.close()
    }

    @Test func aNotifyOnAnotherChannelDoesNotArrive() async throws {
        let channel = TestDatabase.uniqueChannel("dlq_alerts")
        let listener = try await TestDatabase.listen(to: [channel])
        var arrivals = listener.notifications.makeAsyncIterator()
        try await TestDatabase.withConnection { sender in
            try await notify(TestDatabase.uniqueChannel("dlq_other"), "not for us", on: sender)
            try await notify(channel, "marker", on: sender)
        }
        #expect(await arrivals.next()?.payload == "marker")
        await listener.close()
    }

    @Test func channelNamesAreMatchedExactlyAndNeverReadAsSQL() async throws {
        let channel = "Dlq Alerts\"; DROP TABLE x; -- \(TestDatabase.uniqueChannel("x"))"
        let listener = try await TestDatabase.listen(to: [channel])
        var arrivals = listener.notifications.makeAsyncIterator()
        try await TestDatabase.withConnection { sender in
            try await notify(channel.lowercased(), "folded case is another channel", on: sender)
            try await notify(channel, "exact", on: sender)
        }
        #expect(await arrivals.next().map { [$0.channel, $0.payload] } == [channel, "exact"])
        await listener.close()
    }

    @Test func aNotifyInATransactionArrivesOnlyAfterCommit() async throws {
        let channel = TestDatabase.uniqueChannel("dlq_alerts")
        let listener = try await TestDatabase.listen(to: [channel])
        var arrivals = listener.notifications.makeAsyncIterator()
        let sender = try await TestDatabase.connect()
        try await sender.execute("BEGIN")
        try await notify(channel, "in the transaction", on: sender)
        try await TestDatabase.withConnection { other in
            try await notify(channel, "committed meanwhile", on: other)
        }
        #expect(await arrivals.next()?.payload == "committed meanwhile")
        try await sender.execute("COMMIT")
        #expect(await arrivals.next()?.payload == "in the transaction")
        await sender.close()
        await listener.close()
    }

    @Test func aNotifyInARolledBackTransactionNeverArrives() async throws {
        let channel = TestDatabase.uniqueChannel("dlq_alerts")
        let listener = try await TestDatabase.listen(to: [channel])
        var arrivals = listener.notifications.makeAsyncIterator()
        try await TestDatabase.withConnection { sender in
            try await sender.execute("BEGIN")
            try await notify(channel, "rolled back", on: sender)
            try await sender.execute("ROLLBACK")
            try await notify(channel, "marker", on: sender)
        }
        #expect(await arrivals.next()?.payload == "marker")
        await listener.close()
    }

    // How fast close() takes effect is a performance figure, not a test assertion: on a loaded CI machine
    // any fixed bound flakes. The suite's time limit catches a close() that never ends the stream.
    @Test func closingEndsTheStream() async throws {
        let listener = try await TestDatabase.listen(to: [TestDatabase.uniqueChannel("dlq_alerts")])
        let consumer = Task {
            var received = 0
            for await _ in listener.notifications { received += 1 }
            return received
        }
        await listener.close()
        #expect(await consumer.value == 0)
    }

    @Test func closingTwiceIsHarmless() async throws {
        let listener = try await TestDatabase.listen(to: [TestDatabase.uniqueChannel("dlq_alerts")])
        await listener.close()
        await listener.close()
        var arrivals = listener.notifications.makeAsyncIterator()
        #expect(await arrivals.next() == nil)
    }

    @Test func terminatingTheListenersBackendEndsTheStream() async throws {
        let listener = try await TestDatabase.listen(to: [TestDatabase.uniqueChannel("dlq_alerts")])
        var arrivals = listener.notifications.makeAsyncIterator()
        try await TestDatabase.withConnection { killer in
            // The timeout makes pg_terminate_backend wait until the backend has exited.
            let terminated = try await killer.query("SELECT pg_terminate_backend(\(listener.backendProcessID), 10000) AS done")
            #expect(try terminated.first?.decode(Bool.self, column: "done") == true)
        }
        #expect(await arrivals.next() == nil)
        await listener.close()
    }

    @Test func theBackendProcessIDIsTheListeningSession() async throws {
        let channel = TestDatabase.uniqueChannel("dlq_alerts")
        let listener = try await TestDatabase.listen(to: [channel])
        let query = try await TestDatabase.withConnection { observer in
            try await observer.query("SELECT query FROM pg_stat_activity WHERE pid = \(listener.backendProcessID)").first?.decode(String.self, column: "query")
        }
        #expect(query?.hasPrefix("LISTEN") == true)
        #expect(query?.contains(channel) == true)
        await listener.close()
    }

    @Test func listeningToNoChannelIsAMisuse() async throws {
        let error = try await #require(throws: PostgresError.self) {
            try await TestDatabase.listen(to: [])
        }
        #expect(error.kind == .protocol)
    }

    @Test func aListenerThatCannotConnectFailsWithAConnectionError() async throws {
        let error = try await #require(throws: PostgresError.self) {
            try await PostgresNotificationListener.listen(
                to: "postgresql://postgres@127.0.0.1:1/postgres", channels: ["dlq_alerts"], logger: TestDatabase.logger)
        }
        #expect(error.isConnectionFailure)
    }
}
