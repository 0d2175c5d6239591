import Collector
import Logging

extension ExecAdapter {
    /// The state file of this instance under `state_dir`.
    var stateFileName: String { "exec-\(name).state" }

    /// Where a state saved by another command is moved, without its record: renamed back to
    /// ``stateFileName``, it is handed over as one from before the record existed.
    var unclaimedStateFileName: String { stateFileName + ".unclaimed" }

    /// The saved state to hand over as `COLLECTOR_STATE`, or nil for none.
    ///
    /// A state another command saved is not handed over (a cursor may be a token, and another
    /// program's cursor would skip or repeat data): it is moved to ``unclaimedStateFileName``
    /// with a warning, once. With no state file, a state this same command saved under another
    /// instance name is pointed at, since an unnamed section's name is its position.
    /// - Throws: ``AdapterError`` when the file is damaged or holds a state too large to pass
    ///   (saved before the size was checked): the command is not run, since it would take
    ///   garbage for no cursor at all, or not start; `StorageError`.
    func savedState(context: AdapterContext) throws -> String? {
        let path = context.state.path(stateFileName)
        guard let bytes = try context.state.read(stateFileName) else {
            pointAtStateSavedElsewhere(context: context)
            return nil
        }
        let file: ExecStateFile
        do throws(ExecStateFile.Damage) {
            file = try ExecStateFile(parsing: bytes)
        } catch {
            throw AdapterError.badRequest(
                "state file \(path) is damaged (\(error.problem)), so the command was not run: delete the file to"
                    + " start the command without a saved state (COLLECTOR_STATE unset, as on its first run), or put"
                    + " back a copy from a backup"
            )
        }
        guard file.state.count <= ExecStateFile.maxStateLength else {
            throw AdapterError.badRequest(
                "state file \(path) holds a state of \(file.state.count) bytes, more than the"
                    + " \(ExecStateFile.maxStateLength) a command can receive in COLLECTOR_STATE (Linux limits one"
                    + " NAME=value string of the environment to 128 KiB), so the command was not run: an earlier"
                    + " version saved it unchecked; delete the file to start the command without a saved state"
                    + " (COLLECTOR_STATE unset, as on its first run), and keep the command's state small (a date or"
                    + " an id to resume from, not every id seen)"
            )
        }
        if let saver = file.owner, saver.fingerprint != stateOwner.fingerprint {
            setAside(file, savedBy: saver, context: context)
            return nil
        }
        return String(decoding: file.state, as: UTF8.self)
    }

    /// Moves a state another command saved out of the way (not under `collector test`) and says
    /// so: the warning comes once, since the file is gone afterwards.
    private func setAside(_ file: ExecStateFile, savedBy saver: ExecStateFile.Owner, context: AdapterContext) {
        let path = context.state.path(stateFileName)
        let aside = context.state.path(unclaimedStateFileName)
        var moved = !context.state.isReadOnly
        if moved {
            do {
                try context.state.write(unclaimedStateFileName, file.state)
                try context.state.remove(stateFileName)
            } catch {
                // Left in place, it is refused again at the next run: the cursor is not lost.
                context.logger.warning("could not move \(path) to \(aside): \(error)")
                moved = false
            }
        }
        let program = "\"\(stateOwner.program)\""
        let other =
            saver.program == stateOwner.program
            ? "\(program) with other arguments" : "another command, \"\(saver.program)\","
        let outcome =
            moved
            ? "it was moved to \(aside), without that record: if it is this command's cursor after all, rename it"
                + " to \(path) before the next run"
            : "a run moves it to \(aside), from where it can be renamed back if it is this command's cursor"
        let message: String =
            "the state in \(path) was saved by \(other) as instance \"\(saver.instance)\", so it was not handed to"
            + " the command \(program) of this section, which runs without COLLECTOR_STATE, as on its first run;"
            + " \(outcome). An exec section's state is keyed by its name, and a section without \"name\" by its"
            + " position (exec#1, exec#2, …): give each exec section a name"
        context.logger.warning("\(message)")
    }

    /// With no state file of its own: warns when another exec state file holds a state this
    /// command saved (the section lost its position-based name, or was renamed), since the
    /// command now starts over without a word. The state is not taken over: two sections may run
    /// the same command with different `env`, and the other one may still be configured.
    private func pointAtStateSavedElsewhere(context: AdapterContext) {
        let own = context.state.path(stateFileName)
        for name in FileSystem.list(context.state.directory)
        where name.hasPrefix("exec-") && name.hasSuffix(".state") && context.state.path(name) != own {
            guard let bytes = try? context.state.read(name), let file = try? ExecStateFile(parsing: bytes),
                let saver = file.owner, saver.fingerprint == stateOwner.fingerprint
            else { continue }
            let message: String =
                "no state saved in \(own) for instance \"\(self.name)\", but \(context.state.path(name)) holds one"
                + " saved by the same command as instance \"\(saver.instance)\"; the command runs without"
                + " COLLECTOR_STATE, as on its first run. An exec section's state is keyed by its name, and a"
                + " section without \"name\" by its position (exec#1, exec#2, …): if that state is this section's,"
                + " rename the file to \(own) before the next run, and give each exec section a name"
            context.logger.warning("\(message)")
            return
        }
    }
}
