package io.mme.audit;

import java.nio.file.Path;

/**
 * A journal that cannot be read past a record: the queue, the file the damage is in (the queue
 * directory when it cannot be told), and the last event that was read whole. Immutable.
 */
public final class JournalDamagedException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long lastGood;

    public JournalDamagedException(Path file, long lastGood, String detail, Throwable cause) {
        super("the journal " + file + " is damaged after event " + lastGood + " (" + detail + ")", cause);
        this.file = file.toString();
        this.lastGood = lastGood;
    }

    /** the journal file (or queue directory) the damage is in */
    public Path file() {
        return Path.of(file);
    }

    /** the last event read whole; -1 when not even the first one could be read */
    public long lastGood() {
        return lastGood;
    }
}
