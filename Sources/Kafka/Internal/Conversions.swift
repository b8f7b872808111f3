extension Duration {
    /// Whole milliseconds, rounded down; negative durations count as zero.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// librdkafka takes `int` timeouts in milliseconds; clamp instead of trapping on absurd durations.
    var timeoutMilliseconds: Int32 {
        Int32(clamping: wholeMilliseconds)
    }
}

extension String {
    /// From a NUL-terminated buffer librdkafka filled in (its `errstr` out-parameters).
    init(errorBuffer: [CChar]) {
        self = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
