/// A stored credential file that cannot be read: another user owns it (`collector auth` run as
/// root), or something other than a regular file stands in its place. Unlike a storage error,
/// it fails only the accounts that need the file (exit 1): the rest of the run goes on.
public struct UnreadableCredentialError: Error, Sendable, CustomStringConvertible {
    /// Why the file could not be read; it names the file, and its owner where that is the cause.
    public var reason: StorageError

    /// Creates the error from the failure to read the file.
    public init(reason: StorageError) {
        self.reason = reason
    }

    /// `cannot read the credential file state/credential-douyin~x.json: open failed: Permission
    /// denied (owned by root, not by collector …: give it back with chown collector: …)`.
    public var description: String {
        "cannot read the credential file \(reason)"
    }
}
