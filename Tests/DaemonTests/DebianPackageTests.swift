import Foundation
import TestSupport
import Testing

/// scripts/build-deb.sh with `--debug-binaries` (the release build is the documented command; the
/// test packages the debug binaries already built, so it stays fast), then the package installed
/// into a throwaway root with `dpkg-deb -x` and the maintainer script's steps run with `--root`.
@Suite("The Debian package", .serialized)
struct DebianPackageTests: Sendable {
    struct Entry { var mode: String; var owner: String }

    /// `dpkg-deb -c`: path → (mode, owner/group).
    func listing(_ deb: String) throws -> [String: Entry] {
        let out = try runProgram("/usr/bin/dpkg-deb", ["-c", deb]).output
        var entries: [String: Entry] = [:]
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 6 else { continue }
            entries[String(f[5].dropFirst())] = Entry(mode: String(f[0]), owner: String(f[1]))
        }
        return entries
    }

    @Test("build-deb.sh builds a package that installs complete and valid into a throwaway root, with no lintian error")
    func packageBuildsAndInstalls() async throws {
        try await offPool { try packageBuildsAndInstallsBlocking() }
    }

    func packageBuildsAndInstallsBlocking() throws {
        let dir = try TestEnvironment.temporaryDirectory("deb")
        defer { try? FileManager.default.removeItem(at: dir) }
        let build = try runProgram("/bin/bash", [BuildProducts.packageRoot.appendingPathComponent("scripts/build-deb.sh").path,
                                                 "--debug-binaries", "--out", dir.appendingPathComponent("out").path])
        try #require(build.status == 0, "\(build.error)")
        let deb = try #require(build.output.split(separator: "\n").last.map(String.init))
        let arch = try runProgram("/usr/bin/dpkg", ["--print-architecture"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix("/checkpoint_0.1.0_\(arch).deb"))

        let files = try listing(deb)
        let expected: [String: String] = [
            "/usr/bin/checkpointd": "-rwxr-xr-x", "/usr/bin/checkpointctl": "-rwxr-xr-x",
            "/usr/bin/checkpoint-central": "-rwxr-xr-x", "/usr/bin/checkpoint-sim": "-rwxr-xr-x",
            "/usr/lib/systemd/system/checkpointd.service": "-rw-r--r--",
            "/usr/lib/systemd/system/checkpoint-central.service": "-rw-r--r--",
            "/usr/lib/sysusers.d/checkpoint.conf": "-rw-r--r--", "/usr/lib/tmpfiles.d/checkpoint.conf": "-rw-r--r--",
            "/usr/lib/udev/rules.d/70-checkpoint.rules": "-rw-r--r--",
            "/usr/share/checkpoint/Devices/thermometers/lu90614.toml": "-rw-r--r--",
            "/usr/share/checkpoint-central/openapi.yaml": "-rw-r--r--",
            "/etc/checkpoint/checkpoint.toml": "-rw-r--r--",
            "/usr/share/man/man8/checkpointd.8.gz": "-rw-r--r--", "/usr/share/man/man1/checkpointctl.1.gz": "-rw-r--r--",
            "/usr/share/bash-completion/completions/checkpointctl": "-rw-r--r--",
            "/usr/share/zsh/vendor-completions/_checkpointctl": "-rw-r--r--",
            "/usr/share/doc/checkpoint/copyright": "-rw-r--r--",
        ]
        for (path, mode) in expected {
            #expect(files[path]?.mode == mode, "\(path): \(files[path].map { $0.mode } ?? "missing")")
        }
        #expect(files.values.allSatisfy { $0.owner == "root/root" })

        let control = dir.appendingPathComponent("control")
        #expect(try runProgram("/usr/bin/dpkg-deb", ["-e", deb, control.path]).status == 0)
        #expect(try String(contentsOf: control.appendingPathComponent("conffiles"), encoding: .utf8) == "/etc/checkpoint/checkpoint.toml\n")
        let postinst = try String(contentsOf: control.appendingPathComponent("postinst"), encoding: .utf8)
        #expect(postinst.contains("systemd-sysusers checkpoint.conf") && postinst.contains("udevadm control --reload-rules"))
        #expect(!postinst.contains("systemctl enable") && !postinst.contains("systemctl start"), "never starts an unconfigured gate")
        let root = dir.appendingPathComponent("root")
        #expect(try runProgram("/usr/bin/dpkg-deb", ["-x", deb, root.path]).status == 0)
        let r = root.path
        let completion = try String(contentsOfFile: dir.appendingPathComponent("root/usr/share/bash-completion/completions/checkpointctl").path,
                                    encoding: .utf8)
        #expect(completion.contains("journal") && completion.contains("uplink"), "argument-parser's bash completion")

        #expect(try runProgram("/usr/bin/systemd-sysusers", ["--root=\(r)", "\(r)/usr/lib/sysusers.d/checkpoint.conf"]).status == 0)
        let secret = "\(r)/etc/checkpoint/central.secret"
        try "gate-1:\(String(repeating: "0f", count: 32))\n".write(toFile: secret, atomically: true, encoding: .utf8)
        #expect(try runProgram("/usr/bin/systemd-tmpfiles", ["--root=\(r)", "--create", "\(r)/usr/lib/tmpfiles.d/checkpoint.conf"]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: secret)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let group = try String(contentsOfFile: "\(r)/etc/group", encoding: .utf8)
        #expect(group.contains("gpio:x:") && group.contains("dialout:x:") && group.contains(":checkpoint"))

        let example = try String(contentsOfFile: "\(r)/etc/checkpoint/checkpoint.toml", encoding: .utf8)
        let config = dir.appendingPathComponent("example.toml").path
        try (example + "\ncatalog = \"\(r)/usr/share/checkpoint/Devices\"\n").write(toFile: config, atomically: true, encoding: .utf8)
        // The build's own checkpointd: the packaged debug binary needs the toolchain's runtime path.
        let check = try runProgram(BuildProducts.executable("checkpointd"), ["--config", config, "--check"])
        #expect(check.status == 0, "the example configuration validates: \(check.output) \(check.error)")
        let man = try runProgram("/bin/sh", ["-c", "gzip -dc \(r)/usr/share/man/man8/checkpointd.8.gz"]).output
        #expect(man.hasPrefix(".TH CHECKPOINTD 8") && man.contains("--control-socket"))

        let lintian = try runProgram("/usr/bin/lintian", ["--no-tag-display-limit", deb])
        let errors = (lintian.output + lintian.error).split(separator: "\n").filter { $0.hasPrefix("E: ") }
        #expect(errors.isEmpty, "\(errors.joined(separator: "\n"))")
    }
}
