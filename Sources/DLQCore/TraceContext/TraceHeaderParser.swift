/// Validating parsers for the propagation header formats, each returning why a value was rejected.
enum TraceHeaderParser {
    /// W3C Trace Context `traceparent`: `version-traceid-parentid-flags`, all lowercase hex.
    static func parseTraceparent(_ raw: String) -> Result<TraceContext, TraceHeaderError> {
        if let context = canonicalTraceparent(raw) { return .success(context) }
        let value = trimmed(raw)
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4 else { return .failure(TraceHeaderError(reason: "expected version-traceid-parentid-flags")) }
        let version = parts[0]
        guard TraceHexID.isHex(version, length: 2, allowUppercase: false) else {
            return .failure(TraceHeaderError(reason: "version is not 2 lowercase hex digits"))
        }
        guard version != "ff" else { return .failure(TraceHeaderError(reason: "version ff is forbidden")) }
        // Version 00 has exactly four fields; later versions may append fields, which we must ignore.
        guard version != "00" || parts.count == 4 else {
            return .failure(TraceHeaderError(reason: "version 00 has exactly four fields"))
        }
        let traceID = parts[1], parentID = parts[2], flags = parts[3]
        guard TraceHexID.isHex(traceID, length: 32, allowUppercase: false) else {
            return .failure(TraceHeaderError(reason: "trace-id is not 32 lowercase hex digits"))
        }
        guard !TraceHexID.isAllZeros(traceID) else { return .failure(TraceHeaderError(reason: "trace-id is all zeros")) }
        guard TraceHexID.isHex(parentID, length: 16, allowUppercase: false) else {
            return .failure(TraceHeaderError(reason: "parent-id is not 16 lowercase hex digits"))
        }
        guard !TraceHexID.isAllZeros(parentID) else { return .failure(TraceHeaderError(reason: "parent-id is all zeros")) }
        guard TraceHexID.isHex(flags, length: 2, allowUppercase: false), let flagBits = UInt8(flags, radix: 16) else {
            return .failure(TraceHeaderError(reason: "trace-flags is not 2 lowercase hex digits"))
        }
        return .success(TraceContext(validatedTraceID: traceID, spanID: parentID, isSampled: flagBits & 1 == 1))
    }

    /// The common case read without splitting: a valid version-00 value with nothing around it. Nil for anything
    /// else, which the general path then parses (and explains when it is invalid). Every ingested record with
    /// trace context comes through here, so it is worth not allocating the parts.
    private static func canonicalTraceparent(_ raw: String) -> TraceContext? {
        var raw = raw
        return raw.withUTF8 { bytes -> TraceContext? in
            guard bytes.count == 55, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "0"),
                  bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-")
            else { return nil }
            func lowercaseHex(_ range: Range<Int>) -> Bool {
                bytes[range].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
            }
            func allZeros(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == 0x30 } }
            guard lowercaseHex(3..<35), lowercaseHex(36..<52), lowercaseHex(53..<55), !allZeros(3..<35), !allZeros(36..<52)
            else { return nil }
            let lastFlagDigit = bytes[54]
            let flagBits = lastFlagDigit <= 0x39 ? lastFlagDigit - 0x30 : lastFlagDigit - 0x61 + 10
            return TraceContext(
                validatedTraceID: String(decoding: bytes[3..<35], as: UTF8.self),
                spanID: String(decoding: bytes[36..<52], as: UTF8.self),
                isSampled: flagBits & 1 == 1
            )
        }
    }

    /// W3C `tracestate`: up to 32 comma-separated `key=value` members with unique keys.
    /// Validated only so a malformed one is flagged; its content is vendor data we do not use.
    static func validateTracestate(_ raw: String) -> TraceHeaderError? {
        var keys = Set<Substring>()
        var count = 0
        for member in raw.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = member.trimmingASCIIWhitespace()
            if entry.isEmpty { continue }
            count += 1
            guard count <= 32 else { return TraceHeaderError(reason: "more than 32 list members") }
            guard let equals = entry.firstIndex(of: "=") else {
                return TraceHeaderError(reason: "list member without '='")
            }
            let key = entry[entry.startIndex..<equals]
            let value = entry[entry.index(after: equals)...]
            guard isValidTracestateKey(key) else { return TraceHeaderError(reason: "invalid list member key") }
            guard isValidTracestateValue(value) else { return TraceHeaderError(reason: "invalid list member value") }
            guard keys.insert(key).inserted else { return TraceHeaderError(reason: "duplicate list member key") }
        }
        return nil
    }

    /// B3 single header: `{traceid}-{spanid}[-{sampled}[-{parentspanid}]]`, or just a sampling decision.
    /// - Returns: nil inside `.success` for the sampling-only forms, which carry no ids.
    static func parseB3Single(_ raw: String) -> Result<TraceContext?, TraceHeaderError> {
        let value = trimmed(raw)
        if value == "0" || value == "1" || value == "d" { return .success(nil) }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard (2...4).contains(parts.count) else {
            return .failure(TraceHeaderError(reason: "expected traceid-spanid[-sampled[-parentspanid]]"))
        }
        let ids: TraceContext
        switch b3IDs(traceID: parts[0], spanID: parts[1]) {
        case .failure(let error): return .failure(error)
        case .success(let context): ids = context
        }
        var context = ids
        if parts.count >= 3 {
            switch parts[2] {
            case "1", "d": context.isSampled = true
            case "0": context.isSampled = false
            default: return .failure(TraceHeaderError(reason: "sampling state is not 0, 1 or d"))
            }
        }
        if parts.count == 4 {
            guard TraceHexID.isHex(parts[3], length: 16, allowUppercase: true), !TraceHexID.isAllZeros(parts[3]) else {
                return .failure(TraceHeaderError(reason: "parent span id is not 16 hex digits"))
            }
        }
        return .success(context)
    }

    /// B3 multiple headers (`X-B3-TraceId`, `X-B3-SpanId`, `X-B3-Sampled`, `X-B3-Flags`).
    static func parseB3Multi(traceID: String, spanID: String, sampled: String?, flags: String?) -> Result<TraceContext, TraceHeaderError> {
        var context: TraceContext
        switch b3IDs(traceID: trimmed(traceID), spanID: trimmed(spanID)) {
        case .failure(let error): return .failure(error)
        case .success(let ids): context = ids
        }
        if let flags, trimmed(flags) == "1" {
            context.isSampled = true
        } else if let sampled {
            // "true"/"false" are what pre-2016 instrumentation sent; B3 says to accept them.
            switch trimmed(sampled).lowercased() {
            case "1", "true", "d": context.isSampled = true
            case "0", "false": context.isSampled = false
            default: return .failure(TraceHeaderError(reason: "X-B3-Sampled is not 0 or 1"))
            }
        }
        return .success(context)
    }

    /// B3 ids: a 16 or 32 hex trace id (uppercase tolerated, stored lowercase) and a 16 hex span id.
    private static func b3IDs(traceID rawTraceID: String, spanID rawSpanID: String) -> Result<TraceContext, TraceHeaderError> {
        let traceID = rawTraceID.lowercased()
        let spanID = rawSpanID.lowercased()
        guard TraceHexID.isHex(traceID, length: 32, allowUppercase: false)
            || TraceHexID.isHex(traceID, length: 16, allowUppercase: false)
        else { return .failure(TraceHeaderError(reason: "trace id is not 16 or 32 hex digits")) }
        guard !TraceHexID.isAllZeros(traceID) else { return .failure(TraceHeaderError(reason: "trace id is all zeros")) }
        guard TraceHexID.isHex(spanID, length: 16, allowUppercase: false) else {
            return .failure(TraceHeaderError(reason: "span id is not 16 hex digits"))
        }
        guard !TraceHexID.isAllZeros(spanID) else { return .failure(TraceHeaderError(reason: "span id is all zeros")) }
        // A 64-bit B3 trace id is the low half of a 128-bit one (what Zipkin and OpenTelemetry do when bridging).
        let padded = traceID.utf8.count == 16 ? String(repeating: "0", count: 16) + traceID : traceID
        return .success(TraceContext(validatedTraceID: padded, spanID: spanID, isSampled: nil))
    }

    private static func isValidTracestateKey(_ key: Substring) -> Bool {
        func isLowerAlpha(_ b: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) }
        func isDigit(_ b: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }
        func isKeyChar(_ b: UInt8) -> Bool {
            isLowerAlpha(b) || isDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
                || b == UInt8(ascii: "*") || b == UInt8(ascii: "/")
        }
        let bytes = Array(key.utf8)
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")) {
            let tenant = bytes[..<at], system = bytes[(at + 1)...]
            guard let t0 = tenant.first, isLowerAlpha(t0) || isDigit(t0), tenant.count <= 241,
                  tenant.allSatisfy(isKeyChar),
                  let s0 = system.first, isLowerAlpha(s0), system.count <= 14, system.allSatisfy(isKeyChar)
            else { return false }
            return true
        }
        guard let first = bytes.first, isLowerAlpha(first), bytes.count <= 256 else { return false }
        return bytes.allSatisfy(isKeyChar)
    }

    private static func isValidTracestateValue(_ value: Substring) -> Bool {
        let bytes = Array(value.utf8)
        guard let last = bytes.last, last != 0x20, bytes.count <= 256 else { return false }
        return bytes.allSatisfy { b in b >= 0x20 && b <= 0x7E && b != UInt8(ascii: ",") && b != UInt8(ascii: "=") }
    }

    private static func trimmed(_ text: String) -> String {
        String(Substring(text).trimmingASCIIWhitespace())
    }
}
