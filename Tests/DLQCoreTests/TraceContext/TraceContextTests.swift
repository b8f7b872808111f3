import DLQCore
import Testing

@Suite("Trace context from record headers")
struct TraceContextTests {
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func w3cTraceparentGivesTraceAndSpanIDs() {
        let letter = decodeRecord(value: nil, headers: [header("traceparent", Self.traceparent)])
        #expect(letter.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(letter.spanID == "00f067aa0ba902b7")
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func traceHeadersAloneDoNotMakeAFormat() {
        #expect(decodeRecord(value: nil, headers: [header("traceparent", Self.traceparent)]).format == .raw)
    }

    @Test(arguments: [
        ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", "trace-id is all zeros"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "parent-id is all zeros"),
        ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "trace-id is not 32 lowercase hex digits"),
        ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version ff is forbidden"),
        ("0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version is not 2 lowercase hex digits"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", "version 00 has exactly four fields"),
        ("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", "trace-id is not 32 lowercase hex digits"),
        ("garbage", "expected version-traceid-parentid-flags"),
    ])
    func invalidTraceparentIsNotedAndIgnored(value: String, reason: String) {
        let letter = decodeRecord(value: nil, headers: [header("traceparent", value)])
        #expect(letter.traceID == nil)
        #expect(letter.decodeNotes == ["header traceparent: invalid (\(reason)); ignored"])
    }

    @Test func futureTraceparentVersionMayCarryMoreFields() {
        let letter = decodeRecord(value: nil, headers: [header("traceparent", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever")])
        #expect(letter.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test func invalidTracestateIsNotedButTheTraceIsKept() {
        let letter = decodeRecord(value: nil, headers: [
            header("traceparent", Self.traceparent), header("tracestate", "Congo=t61rcWkgMzE"),
        ])
        #expect(letter.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(letter.decodeNotes == ["header tracestate: invalid (invalid list member key); ignored"])
    }

    @Test func validTracestateIsAccepted() {
        let letter = decodeRecord(value: nil, headers: [
            header("traceparent", Self.traceparent), header("tracestate", "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE,acme@vendor=x"),
        ])
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func b3SingleWith32HexTraceID() {
        let letter = decodeRecord(value: nil, headers: [header("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90")])
        #expect(letter.traceID == "80f198ee56343ba864fe8b2a57d3eff7")
        #expect(letter.spanID == "e457b5a2e4d86bd1")
    }

    @Test func b3Single16HexTraceIDIsLeftPaddedTo32() {
        let letter = decodeRecord(value: nil, headers: [header("b3", "a3ce929d0e0e4736-00f067aa0ba902b7")])
        #expect(letter.traceID == "0000000000000000a3ce929d0e0e4736")
        #expect(letter.spanID == "00f067aa0ba902b7")
    }

    @Test(arguments: ["0", "1", "d"])
    func b3SamplingOnlyFormCarriesNoIDs(value: String) {
        let letter = decodeRecord(value: nil, headers: [header("b3", value)])
        #expect(letter.traceID == nil)
        #expect(letter.decodeNotes.isEmpty)
    }

    @Test func invalidB3IsNoted() {
        let letter = decodeRecord(value: nil, headers: [header("b3", "xyz-e457b5a2e4d86bd1")])
        #expect(letter.traceID == nil)
        #expect(letter.decodeNotes == ["header b3: invalid (trace id is not 16 or 32 hex digits); ignored"])
    }

    @Test func b3MultiHeadersWithAnyNameCase() {
        let letter = decodeRecord(value: nil, headers: [
            header("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124"),
            header("X-B3-SPANID", "a2fb4a1d1a96d312"),
            header("X-B3-Sampled", "1"),
        ])
        #expect(letter.traceID == "463ac35c9f6413ad48485a3953bb6124")
        #expect(letter.spanID == "a2fb4a1d1a96d312")
    }

    @Test func b3MultiWithoutSpanIDIsNoted() {
        let letter = decodeRecord(value: nil, headers: [header("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124")])
        #expect(letter.traceID == nil)
        #expect(letter.decodeNotes.count == 1)
    }

    @Test func traceparentWinsOverB3() {
        let letter = decodeRecord(value: nil, headers: [
            header("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
            header("traceparent", Self.traceparent),
        ])
        #expect(letter.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test func invalidTraceparentFallsBackToB3() {
        let letter = decodeRecord(value: nil, headers: [
            header("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            header("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
        ])
        #expect(letter.traceID == "80f198ee56343ba864fe8b2a57d3eff7")
    }

    @Test func b3SingleWinsOverB3Multi() {
        let letter = decodeRecord(value: nil, headers: [
            header("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124"),
            header("X-B3-SpanId", "a2fb4a1d1a96d312"),
            header("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1"),
        ])
        #expect(letter.traceID == "80f198ee56343ba864fe8b2a57d3eff7")
    }

    @Test func traceparentRoundTripsForReplay() throws {
        let context = try #require(TraceContext(traceparent: Self.traceparent))
        #expect(context.traceparent == Self.traceparent)
        #expect(context.traceparent(continuingWithSpanID: "b7ad6b7169203331") == "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01")
    }

    @Test func unsampledTraceparentStaysUnsampled() throws {
        let context = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))
        #expect(context.isSampled == false)
        #expect(context.traceparent.hasSuffix("-00"))
    }
}
