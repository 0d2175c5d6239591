/// Keeps ``Credential``s in `state_dir`, one file per adapter instance and account
/// (`credential-<instance>-<account>.json`, mode 0600, replaced atomically), so a refreshed
/// token — or a single-use refresh token — survives a crash the moment it is received.
public struct CredentialStore: Sendable {
    private let state: StateStore

    /// A store over the state folder.
    public init(state: StateStore) {
        self.state = state
    }

    /// The stored credential, or nil when there is none. A credential file that other users can
    /// read (copied into place by hand) is set to 0600 on the way.
    /// - Throws: ``UnreadableCredentialError`` when the file cannot be read (it belongs to
    ///   another user, it is a symbolic link): the accounts that need it fail, the run goes on;
    ///   ``CredentialError`` when it is damaged.
    public func load(instance: String, account: String) throws -> Credential? {
        let name = Self.fileName(instance: instance, account: account)
        let read: [UInt8]?
        do {
            read = try state.read(name, restrictToOwner: true)
        } catch {
            throw UnreadableCredentialError(reason: error)
        }
        guard let bytes = read else { return nil }
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw CredentialError(file: state.path(name), problem: "is not valid JSON (\(error))")
        }
        guard let access = json["access_token"]?.stringValue,
            let obtained = json["obtained_at"]?.int64Value,
            let expires = json["expires_at"]?.int64Value
        else {
            throw CredentialError(file: state.path(name), problem: "lacks access_token, obtained_at or expires_at")
        }
        var attributes: [String: String] = [:]
        for member in json["attributes"]?.objectMembers ?? [] {
            if let value = member.value.stringValue { attributes[member.key] = value }
        }
        return Credential(
            accessToken: Secret(access),
            refreshToken: json["refresh_token"]?.stringValue.map(Secret.init),
            obtainedAt: Timestamp(secondsSinceEpoch: obtained),
            expiresAt: Timestamp(secondsSinceEpoch: expires),
            refreshExpiresAt: json["refresh_expires_at"]?.int64Value.map(Timestamp.init(secondsSinceEpoch:)),
            renewals: Int(json["renewals"]?.int64Value ?? 0),
            attributes: attributes,
            refusedAt: json["refused_at"]?.int64Value.map(Timestamp.init(secondsSinceEpoch:)),
            refusalCode: json["refusal_code"]?.stringValue
        )
    }

    /// Whether the credential file of `instance` and `account` can be read by other users.
    public func isOpenToOthers(instance: String, account: String) -> Bool {
        state.isOpenToOthers(Self.fileName(instance: instance, account: account))
    }

    /// Saves `credential` atomically with mode 0600 (dropped in dry-run mode).
    public func save(_ credential: Credential, instance: String, account: String) throws(StorageError) {
        var members: [JSONMember] = [
            JSONMember("access_token", .string(credential.accessToken.exposedValue)),
            JSONMember("obtained_at", .integer(credential.obtainedAt.secondsSinceEpoch)),
            JSONMember("expires_at", .integer(credential.expiresAt.secondsSinceEpoch)),
            JSONMember("renewals", .integer(Int64(credential.renewals))),
        ]
        if let refresh = credential.refreshToken {
            members.append(JSONMember("refresh_token", .string(refresh.exposedValue)))
        }
        if let refreshExpires = credential.refreshExpiresAt {
            members.append(JSONMember("refresh_expires_at", .integer(refreshExpires.secondsSinceEpoch)))
        }
        if let refusedAt = credential.refusedAt {
            members.append(JSONMember("refused_at", .integer(refusedAt.secondsSinceEpoch)))
        }
        if let refusalCode = credential.refusalCode {
            members.append(JSONMember("refusal_code", .string(refusalCode)))
        }
        if !credential.attributes.isEmpty {
            members.append(
                JSONMember(
                    "attributes",
                    .object(
                        credential.attributes.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) }
                    )
                )
            )
        }
        try state.write(
            Self.fileName(instance: instance, account: account),
            Array(JSONValue.object(members).serialized().utf8)
        )
    }

    /// Checks that a credential of `instance` and `account` can be saved now (``StateStore/checkRoom(for:bytes:)``
    /// with room for 8 KiB, more than any platform's tokens take): `collector auth` calls it
    /// before it spends a single-use code, so a full state disk refuses the code unused.
    /// - Throws: ``StorageError`` naming the credential file.
    public func checkRoom(instance: String, account: String) throws(StorageError) {
        try state.checkRoom(for: Self.fileName(instance: instance, account: account), bytes: 8192)
    }

    /// Refreshes the credential of `account`, one process at a time: under the credential's
    /// lock (``locked(instance:account:_:)``) the stored credential is read again, and when another
    /// process replaced `current` since it was loaded (a collector instance sharing the state
    /// folder refreshed it) and its access token is valid at `now`, that one is returned and
    /// nothing is spent; otherwise `refresh` spends the newest stored refresh token and must save
    /// what it gets before it returns, while the lock is still held.
    /// - Parameters:
    ///   - current: the credential the caller holds (loaded earlier, or refused by the API).
    ///   - refresh: the token request; it gets the stored credential (`current` when none is
    ///     stored), so that what it saves builds on the newest one, not on the caller's copy.
    public func refreshing(
        _ current: Credential,
        instance: String,
        account: String,
        at now: Timestamp,
        refresh: (Credential) async throws -> Credential
    ) async throws -> Credential {
        try await locked(instance: instance, account: account) { stored in
            guard let stored else { return try await refresh(current) }
            let replaced =
                stored.accessToken.exposedValue != current.accessToken.exposedValue
                || stored.refreshToken?.exposedValue != current.refreshToken?.exposedValue
            if replaced, stored.isValid(at: now), stored.refusedAt == nil { return stored }
            return try await refresh(stored)
        }
    }

    /// Runs `change` under the credential's lock (``CredentialLock``, shared by the processes
    /// that use this state folder) with the credential stored now, read after the lock is
    /// taken (nil when there is none). A token request or a save decided on a copy loaded
    /// earlier could spend a token that another collector instance already replaced, or write
    /// over the one it saved; `change` decides on the stored credential instead, and saves what
    /// it makes before it returns, while the lock is still held.
    /// - Throws: what `change` throws; ``StorageError`` when the lock file cannot be opened;
    ///   ``AdapterError/transient(_:platformCode:requestID:)`` when another process holds the
    ///   lock for ``CredentialLock/longestWait``.
    public func locked<Result>(
        instance: String,
        account: String,
        _ change: (Credential?) async throws -> Result
    ) async throws -> Result {
        let lock = try await CredentialLock.acquire(Self.fileName(instance: instance, account: account), in: state)
        defer { lock.release() }
        return try await change(try load(instance: instance, account: account))
    }

    /// Notes on the stored credential of `account` that the platform refused it (revoked,
    /// invalidated: `error` is ``AdapterError/isRefusedAuthorization``) at `now`, with the
    /// platform's code, so `collector auth` lists it as needing a new authorisation instead of
    /// valid until its dates. Nothing is noted for another error, without a stored credential,
    /// in a read-only state folder, or when the same refusal is already noted.
    public func recordRefusal(_ error: AdapterError, instance: String, account: String, at now: Timestamp) throws {
        guard error.isRefusedAuthorization else { return }
        let platformCode = error.platformCode ?? ""
        guard !state.isReadOnly, var credential = try load(instance: instance, account: account),
            credential.refusedAt == nil || credential.refusalCode != platformCode
        else { return }
        credential.refusedAt = now
        credential.refusalCode = platformCode
        try save(credential, instance: instance, account: account)
    }

    /// Every stored credential's instance and account, for `collector auth list`.
    public func stored() -> [(instance: String, account: String)] {
        FileSystem.list(state.directory).compactMap { name in
            guard name.hasPrefix("credential-"), name.hasSuffix(".json") else { return nil }
            let core = name.dropFirst("credential-".count).dropLast(".json".count)
            guard let split = core.lastIndex(of: "~") else { return nil }
            return (String(core[..<split]), String(core[core.index(after: split)...]))
        }
    }

    /// For a message about a missing credential of `account` under `instance`: the instances
    /// that hold one for the account, and how to keep it. Credentials are filed by instance
    /// name, so giving a section a `name` (or renaming it) leaves its credentials behind.
    /// - Returns: `""` when no other instance holds one.
    public func elsewhereHint(instance: String, account: String) -> String {
        let others = stored().filter { $0.account == account && $0.instance != instance }.map(\.instance)
        guard let other = others.first else { return "" }
        return "; a credential of this account is stored for instance \"\(other)\" (credentials follow the"
            + " instance name): if this is the same instance renamed, rename \(state.path(Self.fileName(instance: other, account: account)))"
            + " to \(Self.fileName(instance: instance, account: account)) instead of authorising again"
    }

    /// `credential-<instance>~<account>.json`; `/` in either becomes `_`.
    static func fileName(instance: String, account: String) -> String {
        "credential-\(instance)~\(account).json"
    }
}

/// A stored credential file that cannot be used: the operator must re-run `collector auth`.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    /// The state file.
    public var file: String
    /// What is wrong with it.
    public var problem: String

    /// `state/credential-wechat~gh_x.json is not valid JSON …; run collector auth again`.
    public var description: String {
        "\(file) \(problem); delete it and run `collector auth` again for this account"
    }
}
