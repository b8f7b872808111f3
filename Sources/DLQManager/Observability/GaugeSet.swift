import Metrics

/// One gauge name reported for a changing set of label values: values not reported in a round drop to zero, so
/// a class or topic that emptied does not keep its last depth forever.
struct GaugeSet {
    let name: String
    private var reported: Set<[String]> = []
    private let labelNames: [String]

    init(name: String, labels: [String]) {
        self.name = name
        self.labelNames = labels
    }

    /// Sets each label values → value; every label set reported last round and missing now is set to zero.
    mutating func report(_ values: [[String]: Double]) {
        for (labels, value) in values {
            gauge(labels).record(value)
        }
        for labels in reported.subtracting(values.keys) {
            gauge(labels).record(0)
        }
        reported = Set(values.keys)
    }

    private func gauge(_ labels: [String]) -> Gauge {
        Gauge(label: name, dimensions: Array(zip(labelNames, labels)))
    }
}
