import CentralStore
import CheckpointConfig
import CheckpointCore
import Foundation
import Hummingbird
import NIOCore
import Profiles

/// Gate profiles (docs/fleet.md): administrators set a street's, community's or checkpoint's level
/// and upload clips; gates fetch their merged profile and the clips it names.
struct ProfileRoutes {
    let store: any CentralStorage
    let now: @Sendable () -> Date
    var audit: AuditTrail { AuditTrail(store: store, now: now) }

    func register(admin group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/profiles/gates", use: gates)
        group.get("/v1/profiles/{level}/{place}", use: show)
        group.put("/v1/profiles/{level}/{place}", use: put)
        group.post("/v1/clips", use: upload)
    }

    func register(gates group: RouterGroup<CentralRequestContext>) {
        group.get("/v1/profile", use: profile)
        group.get("/v1/clips/{sha256}", use: clip)
    }

    /// `GET /v1/profiles/{level}/{place}`: the place's current level (404 if never set).
    @Sendable func show(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readGates)
        let place = try placeParameter(context)
        return try await adminCall {
            try principal.requirePlace(place, in: try await PlaceTree.load(store))
            guard let level = try await store.profileLevel(place) else {
                throw APIError.notFound("no profile set for \(place.level.rawValue) \(place.id)")
            }
            return try JSONResponse.make(ProfileLevelReply(level: level, missingClips: []))
        }
    }

    /// `PUT /v1/profiles/{level}/{place}` with `{"toml": "…"}`: a new version of the place's level,
    /// checked by `ProfileFragment` (device sections and clip paths are refused, 400 with
    /// file:line:key). Replies with the stored level and the clips it names that are not uploaded yet.
    @Sendable func put(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageProfiles)
        let place = try placeParameter(context)
        let body = try await RequestBodyReader.decodeStrictJSON(ProfileLevelUpdate.self, from: request,
                                                               limit: SQLCentralStorage.maxProfileBytes * 2)
        let values: [String: ProfileValue]
        do { values = try ProfileFragment.parse(body.toml, file: "\(place.level.rawValue)/\(place.id)") } catch {
            throw APIError.badRequest("\(error)", code: "invalidProfile")
        }
        return try await adminCall {
            try principal.requirePlace(place, in: try await PlaceTree.load(store))
            let level = try await store.putProfileLevel(place, toml: body.toml, by: principal.actor, at: now())
            try await audit.record(principal, .profileChange, target: "\(place.level.rawValue)/\(place.id)", detail: "version \(level.version)")
            context.logger.notice("profile level set", metadata: ["place": "\(place.level.rawValue)/\(place.id)", "version": "\(level.version)"])
            let named = ProfileClipReference.hashes(in: values)
            let present = try await store.presentClips(named)
            return try JSONResponse.make(ProfileLevelReply(level: level, missingClips: named.filter { !present.contains($0) }))
        }
    }

    /// `POST /v1/clips` with a WAV file as the body: stored under its SHA-256, which the reply names.
    @Sendable func upload(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.manageProfiles)
        let data = try await RequestBodyReader.collect(request, limit: SQLCentralStorage.maxClipBytes)
        guard data.count >= 12, data.prefix(4) == Data("RIFF".utf8), data.dropFirst(8).prefix(4) == Data("WAVE".utf8) else {
            throw APIError.unsupportedMediaType("a clip must be a WAV file (RIFF/WAVE): the horn plays WAV only")
        }
        return try await adminCall {
            let hash = try await store.putClip(data, by: principal.actor, at: now())
            try await audit.record(principal, .clipUpload, target: hash, detail: "\(data.count) bytes")
            return try JSONResponse.make(ClipReply(sha256: hash, bytes: data.count, reference: ProfileClipReference.prefix + hash), status: .created)
        }
    }

    /// `GET /v1/profiles/gates[?level=&id=]`: each gate's current version, applied version and refusal.
    @Sendable func gates(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let principal = try context.require(.readGates)
        let requested = try QueryParameters(request).placeScope()
        return try await adminCall {
            let scope = try principal.effectiveScope(requested, in: try await PlaceTree.load(store))
            return try JSONResponse.make(try await store.gateProfiles(scope: scope))
        }
    }

    /// `GET /v1/profile?since=V` (as the gate): 204 when the gate's effective version is V, else
    /// the merged profile (`GateProfile`).
    @Sendable func profile(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let gate = try context.requireGate()
        let since = try QueryParameters(request).integer("since", in: 0...Int64.max) ?? 0
        let found: (version: Int64, levels: [ProfileLevel])
        do { found = try await store.profileLevels(gate: gate) } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .gate)
        }
        if found.version == since { return Response(status: .noContent) }
        var levels: [[String: ProfileValue]] = []
        for level in found.levels {
            do { levels.append(try ProfileFragment.parse(level.toml, file: "\(level.place.level.rawValue)/\(level.place.id)")) } catch {
                context.logger.error("stored profile level does not parse", metadata: ["error": "\(error)"])
                throw APIError.internalError()
            }
        }
        let merged = ProfileMerge.merge(levels)
        return try JSONResponse.make(GateProfile(version: found.version, toml: ProfileFragment.text(merged),
                                                 clips: ProfileClipReference.hashes(in: merged)))
    }

    /// `GET /v1/clips/{sha256}` (as the gate): the clip's bytes, `audio/wav`.
    @Sendable func clip(_ request: Request, context: CentralRequestContext) async throws -> Response {
        _ = try context.requireGate()
        guard let hash = context.parameters.get("sha256"), ProfileClipReference.isHash(hash) else {
            throw APIError.badRequest("path parameter `sha256` is not 64 lowercase hex digits", code: "invalidParameter")
        }
        let data: Data?
        do { data = try await store.clip(sha256: hash) } catch { throw StoreErrorMapping.apiError(for: error, audience: .gate) }
        guard let data else { throw APIError.notFound("no clip \(hash)") }
        return Response(status: .ok, headers: [.contentType: "audio/wav", .contentLength: String(data.count)],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func placeParameter(_ context: CentralRequestContext) throws -> PlaceScope {
        guard let text = context.parameters.get("level"), let level = PlaceLevel(rawValue: text), level != .gate else {
            throw APIError.badRequest("path parameter `level` must be street, community or checkpoint", code: "invalidParameter")
        }
        guard let id = context.parameters.get("place"), FieldLimits.isValidIdentifier(id) else {
            throw APIError.badRequest("path parameter `place` is not a valid identifier", code: "invalidParameter")
        }
        return PlaceScope(level: level, id: id)
    }
}
