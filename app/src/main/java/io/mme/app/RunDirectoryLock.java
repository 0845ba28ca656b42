package io.mme.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One engine per run directory: an exclusive OS lock ({@link FileChannel#tryLock()}) on the
 * directory's {@value #FILE} file, held for as long as the engine runs. The OS releases it when the
 * holding process dies however it dies (SIGKILL included), so a lock left by a killed engine is
 * simply taken over by the next one; there is no pid file to go stale. The holder writes its pid,
 * host and start time into the file only so that a refused engine can say who holds the directory.
 *
 * <p>A second engine is refused at once, before it opens the state files or repairs the journal:
 * with {@link RunDirectoryLockedException} when another process holds the lock, or another engine of
 * the same JVM (the OS lock is per process, the JVM keeps track of its own).
 *
 * <p>Owned by the thread that starts and stops the engine (the CLI thread, or the shutdown hook that
 * stops it); {@link #close()} is idempotent.
 */
public final class RunDirectoryLock implements AutoCloseable {
    public static final String FILE = "run.lock";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunDirectoryLock.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final String previousHolder;

    private RunDirectoryLock(Path file, FileChannel channel, FileLock lock, String previousHolder) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.previousHolder = previousHolder;
    }

    /** The run directory is held by another engine; the message names its pid. */
    public static final class RunDirectoryLockedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String directory;
        private final String holder;

        RunDirectoryLockedException(Path directory, String holder) {
            super("the run directory " + directory + " is in use by another engine (" + holder + "); stop that engine first,"
                    + " or start this one on another directory");
            this.directory = directory.toString();
            this.holder = holder;
        }

        public Path directory() {
            return Path.of(directory);
        }

        /** the holder as its lock file describes it ("pid 1234 on host, since ..."), or what is known of it */
        public String holder() {
            return holder;
        }
    }

    /**
     * Locks {@code runDirectory} (created when missing) for this process.
     *
     * @throws RunDirectoryLockedException when another engine holds it
     * @throws UncheckedIOException        when the lock file cannot be opened or written
     */
    public static RunDirectoryLock acquire(Path runDirectory) {
        Path file = runDirectory.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(runDirectory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                String holder = describe(read(channel));
                channel.close();
                throw new RunDirectoryLockedException(runDirectory, holder);
            }
            String previous = read(channel);
            long pid = ProcessHandle.current().pid();
            String host = host();
            byte[] mine = ("pid=" + pid + "\nhost=" + host + "\nsince=" + Instant.now() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(mine), 0);
            channel.force(false);
            RunDirectoryLock held = new RunDirectoryLock(file, channel, lock, previous.isBlank() ? null : describe(previous));
            if (held.previousHolder != null) {
                LOG.info("run directory {} locked by pid {}; the previous holder ({}) is gone, its lock was released by the OS",
                        runDirectory, pid, held.previousHolder);
            }
            return held;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot lock the run directory " + runDirectory + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /** the engine that held the directory before this one and did not release it cleanly (killed), or null */
    public String previousHolder() {
        return previousHolder;
    }

    public Path file() {
        return file;
    }

    /** releases the lock; the file stays, emptied, so that the next holder does not report this one as gone */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.truncate(0);
            channel.force(false);
        } catch (IOException e) {
            LOG.debug("could not empty {}: {}", file, e.getMessage());
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("could not release the run directory lock {}: {}", file, e.getMessage());
        }
    }

    private static String read(FileChannel channel) throws IOException {
        long size = Math.min(channel.size(), 4_096);
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // reads up to size bytes
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }

    /** "pid 1234 on host, since 2026-...": what the lock file says of its holder */
    private static String describe(String content) {
        String pid = null;
        String host = null;
        String since = null;
        for (String line : content.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = line.substring(eq + 1).trim();
            switch (line.substring(0, eq).trim()) {
                case "pid" -> pid = value;
                case "host" -> host = value;
                case "since" -> since = value;
                default -> { }
            }
        }
        if (pid == null) {
            return "pid unknown: the holder has not written it yet";
        }
        return "pid " + pid + (host == null ? "" : " on " + host) + (since == null ? "" : ", since " + since);
    }

    /** from the environment (no name lookup, which can hang on a host without DNS) */
    private static String host() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "this host" : host.trim();
    }
}
