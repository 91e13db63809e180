import CheckpointCore
import CoreMetrics
import DeviceRuntime
import Foundation
import GatePipeline
import GateService
import Horn
import Journal
import Prometheus
import Uplink

/// The gate's Prometheus metrics (`GET /metrics`, `MetricsService`). Counters the modules already
/// keep (thermometer and scanner statistics, the gate's decisions, the uplink's status, the horn's
/// queue counters, the device registry) are read at each scrape and exposed as they are, never
/// counted a second time; the journal's commit latency and the uplink's request latency are
/// swift-metrics timers (`EntryPath.commitTimerLabel`, `Uplink.ingestTimerLabel`) that this
/// registry receives once `bootstrap()` made it the metrics backend. Scrapes run one at a time.
final class GateMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let scraping = Mutex(())
    private let fleet: ThermometerFleet
    private let scanners: ScannerService
    private let gate: GateDaemonService
    private let horn: HornService?

    init(fleet: ThermometerFleet, scanners: ScannerService, gate: GateDaemonService, horn: HornService?) {
        self.fleet = fleet
        self.scanners = scanners
        self.gate = gate
        self.horn = horn
    }

    /// Makes this registry the swift-metrics backend (timers become histograms, in seconds). Once per process.
    func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The text exposition format, with every snapshot value read now.
    func scrape() async -> String {
        let pipeline = gate.pipeline
        let uplink = await pipeline?.uplink?.currentStatus()
        let journal = try? pipeline?.journal.state()
        return scraping.withLock { _ in
            update(pipeline: pipeline, uplink: uplink, journal: journal)
            return registry.emitToString()
        }
    }

    private func update(pipeline: GatePipeline?, uplink: UplinkStatus?, journal: JournalState?) {
        for status in fleet.statuses {
            let device = [("device", status.id)]
            set(counter: "checkpoint_thermometer_readings_total", device, status.statistics.readings)
            set(counter: "checkpoint_thermometer_disconnects_total", device, status.statistics.disconnects)
            for (reason, n) in status.statistics.rejections {
                set(counter: "checkpoint_thermometer_rejections_total", device + [("reason", reason.rawValue)], n)
            }
        }
        for runner in scanners.runners {
            let device = [("device", runner.id)]
            let counters = runner.counters
            set(counter: "checkpoint_scanner_scans_total", device, counters.scans)
            set(counter: "checkpoint_scanner_duplicates_total", device, counters.duplicates)
            for (reason, n) in counters.rejections {
                set(counter: "checkpoint_scanner_rejections_total", device + [("reason", reason)], n)
            }
        }
        if let pipeline {
            let gate = pipeline.gate
            for (reason, n) in gate.journaledByReason { set(counter: "checkpoint_decisions_total", [("reason", reason)], n) }
            set(counter: "checkpoint_journal_failures_total", [], gate.journalFailures)
            set(counter: "checkpoint_unrouted_events_total", [], gate.unroutedEvents)
            for (reason, n) in gate.rejectedScans { set(counter: "checkpoint_gate_rejected_scans_total", [("reason", reason)], n) }
            for device in pipeline.registry.all {
                gauge("checkpoint_device_up", [("device", device.id), ("role", device.role.rawValue)])
                    .set(device.status == .ok ? 1.0 : 0.0)
            }
        }
        if let journal {
            gauge("checkpoint_journal_last_seq").set(Double(journal.lastSeq))
            gauge("checkpoint_journal_backlog").set(Double(journal.backlog))
        }
        if let uplink {
            gauge("checkpoint_uplink_consecutive_failures").set(Double(uplink.consecutiveFailures))
            gauge("checkpoint_uplink_last_contact_timestamp_seconds")
                .set(uplink.lastContact?.timeIntervalSince1970 ?? 0)
            set(counter: "checkpoint_uplink_records_sent_total", [], uplink.recordsSent)
            set(counter: "checkpoint_uplink_rejected_records_total", [], uplink.rejectedRecords)
        }
        if let horn {
            let s = horn.snapshot
            gauge("checkpoint_horn_queue_length").set(Double(s.pending.count))
            set(counter: "checkpoint_horn_queued_total", [], s.counters.queued)
            for (why, n) in [("full", s.counters.droppedFull), ("expired", s.counters.expired), ("quiet", s.counters.rejectedQuiet),
                             ("preempted", s.counters.preempted), ("cleared", s.counters.cleared)] {
                set(counter: "checkpoint_horn_dropped_total", [("why", why)], n)
            }
            set(counter: "checkpoint_horn_failures_total", [], s.failures)
            set(counter: "checkpoint_horn_fallback_tones_total", [], s.fallbackTones)
        }
    }

    private func gauge(_ name: String, _ labels: [(String, String)] = []) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name), labels: labels)
    }

    /// `name` whole (its unit is already in it), no help line.
    private static func descriptor(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: "")
    }

    /// Exposes a count the modules keep as a Prometheus counter with that value.
    private func set(counter name: String, _ labels: [(String, String)], _ value: Int) {
        let counter = registry.makeCounter(descriptor: Self.descriptor(name), labels: labels)
        counter.reset()
        counter.increment(by: Int64(value))
    }
}
