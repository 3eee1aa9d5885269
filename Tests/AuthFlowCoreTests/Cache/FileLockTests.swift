@testable import AuthFlowCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `cache clear` removes lock files only when no call holds them, and a lock taken on a file that
/// was removed meanwhile is never mistaken for the lock at the path.
@Suite struct FileLockTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    @Test("a held lock file stays; a free one is removed")
    func removesOnlyFreeLocks() async throws {
        let path = root + "/token-abc.lock"
        var lock: FileLock? = try await FileLock(path: path, timeout: .seconds(1))
        #expect(lock != nil)
        #expect(!FileLock.removeIfFree(path: path), "a running call holds it")
        #expect(FileManager.default.fileExists(atPath: path))
        lock = nil
        #expect(FileLock.removeIfFree(path: path))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileLock.removeIfFree(path: path), "an absent lock is already gone")
    }

    actor Flag {
        var value = false
        func set() { value = true }
    }

    @Test("a waiter whose file was unlinked under it waits for the file now at the path, so two callers never both hold the lock")
    func waiterFollowsThePath() async throws {
        let path = root + "/token-race.lock"
        var first: FileLock? = try await FileLock(path: path, timeout: .seconds(5))
        let acquired = Flag()
        let waiter = Task {
            let lock = try await FileLock(path: path, timeout: .seconds(10))
            await acquired.set()
            return lock
        }
        try await Task.sleep(for: .milliseconds(50))
        unlink(path)  // cleared, and a new caller locks a new file at the path
        var third: FileLock? = try await FileLock(path: path, timeout: .seconds(1))
        first = nil
        try await Task.sleep(for: .milliseconds(300))
        #expect(await !acquired.value, "the waiter took the removed file's lock while the path's lock is held")
        #expect(first == nil && third != nil)
        third = nil
        _ = try await waiter.value
        #expect(await acquired.value)
    }

    @Test("removeAll forgets entries and free lock files, and keeps a held one")
    func cacheClearRemovesLocks() async throws {
        let folder = CacheFolder(path: root + "/cache")
        try folder.prepare()
        try folder.write(Data("{}".utf8), to: "token-1.json")
        try folder.write(Data().self, to: "token-1.lock")
        let held = try await FileLock(path: folder.file("token-2.lock"), timeout: .seconds(1))
        TokenCache(folder: folder).removeAll()
        #expect(Set(folder.names()) == ["token-2.lock"])
        _ = held
    }
}
