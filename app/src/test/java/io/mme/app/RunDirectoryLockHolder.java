package io.mme.app;

import java.nio.file.Path;

/**
 * A child process for {@link RunDirectoryLockTest}: locks the run directory given as its argument,
 * prints "locked" and holds the lock until its standard input closes or it is killed.
 */
public final class RunDirectoryLockHolder {
    private RunDirectoryLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(Path.of(args[0]))) {
            System.out.println("locked " + lock.file());
            System.out.flush();
            while (System.in.read() >= 0) {
                // holds the lock until stdin closes
            }
        }
    }
}
