package io.mme.audit.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AuditStoreOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path run;

    private final TestDatabase db = new TestDatabase();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditStore.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void captureLog() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void cleanUp() throws Exception {
        logger.detachAppender(log);
        logger.setLevel(previousLevel);
        db.close();
    }

    private List<ILoggingEvent> logged(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    @Test
    void anOutageNeverBlocksTheJournalIsLoggedOnceAndEveryRowArrivesExactlyOnceAfterIt() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             JournalFixture journal = new JournalFixture(run)) {
            String url = TestDatabase.URL.replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port());
            assertThat(url).contains(":" + proxy.port() + "/");
            try (AuditStore store = new AuditStore(db.config().withJdbcUrl(url).withBatchSize(300), run,
                    JournalFixture.INSTRUMENTS, null)) {
                store.start();
                journal.append(2_000);
                long before = journal.inputs.appended() + journal.decisions.appended() + journal.orders.appended();
                await().atMost(WAIT).until(() -> store.recordsCommitted() == before && store.lagRecords() == 0);
                long executionsBefore = db.count("SELECT count(*) FROM $s.executions");
                assertThat(executionsBefore).isEqualTo(500);

                proxy.cut();
                long start = System.nanoTime();
                for (int round = 0; round < 10; round++) {
                    journal.append(1_000);
                }
                double appendSeconds = (System.nanoTime() - start) / 1e9;
                long all = journal.inputs.appended() + journal.decisions.appended() + journal.orders.appended();

                // the store notices, falls behind, and says so once however many retries fail
                await().atMost(WAIT).until(() -> store.outages() == 1 && store.isDown());
                await().atMost(WAIT).until(() -> store.lagRecords() == all - before);
                // three more attempts fail, each after a back-off: still down, still one outage
                long attempts = store.failedAttempts();
                await().atMost(WAIT.plusMillis(4 * AuditStore.MAX_BACKOFF_MILLIS)).until(() -> store.failedAttempts() >= attempts + 3);
                assertThat(store.isDown()).isTrue();
                assertThat(store.lagSeconds()).isPositive();
                assertThat(store.lastError()).isNotBlank();
                assertThat(db.count("SELECT count(*) FROM $s.executions")).isEqualTo(executionsBefore);
                assertThat(appendSeconds).as("12,500 journal appends while PostgreSQL is cut off").isLessThan(2.0);

                proxy.reopen();
                await().atMost(WAIT).until(() -> store.recordsCommitted() == all && store.lagRecords() == 0);
                await().atMost(WAIT).until(() -> !logged(Level.INFO).stream()
                        .filter(e -> e.getFormattedMessage().contains("back after")).toList().isEmpty());

                assertThat(store.outages()).isEqualTo(1);
                assertThat(store.isDown()).isFalse();
                List<ILoggingEvent> warnings = logged(Level.WARN);
                assertThat(warnings).hasSize(1);
                assertThat(warnings.get(0).getFormattedMessage()).contains("cannot write to PostgreSQL").contains("journal records");
                assertThat(logged(Level.INFO).stream().filter(e -> e.getFormattedMessage().contains("back after")))
                        .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("rows written to catch up"));
            }
            assertThat(db.count("SELECT count(*) FROM $s.executions")).isEqualTo(journal.ourExecutions).isEqualTo(3_000);
            assertThat(db.count("SELECT count(DISTINCT seq) FROM $s.executions")).isEqualTo(3_000);
            assertThat(db.count("SELECT count(*) FROM $s.orders")).isEqualTo(journal.orderCommands).isEqualTo(3_000);
            assertThat(db.count("SELECT count(*) FROM $s.risk_decisions")).isEqualTo(journal.rejectedIntents);
        }
    }

    @Test
    void aRestartDuringAnOutageCountsOnlyWhatWaitsAndTheOutagesEndReportsItWholeInOneLine() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             JournalFixture journal = new JournalFixture(run)) {
            String url = TestDatabase.URL.replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port());
            AuditStoreConfig config = db.config().withJdbcUrl(url).withBatchSize(300);
            journal.append(2_000);
            long before = journal.inputs.appended() + journal.decisions.appended() + journal.orders.appended();
            try (AuditStore first = new AuditStore(config, run, JournalFixture.INSTRUMENTS, null)) {
                first.start();
                await().atMost(WAIT).until(() -> first.recordsCommitted() == before && first.lagRecords() == 0);
                proxy.cut();
                journal.append(1_000);
                await().atMost(WAIT).until(first::isDown);
            }
            long all = journal.inputs.appended() + journal.decisions.appended() + journal.orders.appended();
            long outageBegan = logged(Level.WARN).get(0).getTimeStamp();

            long reopenedAt;
            // the restarted store cannot ask PostgreSQL what was committed: its lag is still what really waits
            try (AuditStore restarted = new AuditStore(config, run, JournalFixture.INSTRUMENTS, null)) {
                restarted.start();
                await().atMost(WAIT).until(() -> restarted.isDown() && restarted.lagRecords() > 0);
                assertThat(restarted.lagRecords()).isEqualTo(all - before);
                assertThat(logged(Level.WARN)).hasSize(2);
                assertThat(logged(Level.WARN).get(1).getFormattedMessage()).contains("still unreachable, down since")
                        .contains("before this process started");

                reopenedAt = System.currentTimeMillis();
                proxy.reopen();
                await().atMost(WAIT).until(() -> restarted.recordsCommitted() == all - before && restarted.lagRecords() == 0);
                await().atMost(WAIT).until(() -> logged(Level.INFO).stream().anyMatch(e -> e.getFormattedMessage().contains("back after")));
            }
            ILoggingEvent back = logged(Level.INFO).stream().filter(e -> e.getFormattedMessage().contains("back after"))
                    .findFirst().orElseThrow();
            assertThat(back.getFormattedMessage()).contains("the outage began before a restart");
            java.util.regex.Matcher seconds = java.util.regex.Pattern.compile("back after ([0-9.]+) s down")
                    .matcher(back.getFormattedMessage());
            assertThat(seconds.find()).isTrue();
            // the whole outage: from the first process's first failure (logged just after it began) to at least the
            // reopening; the restarted process's part alone would leave out the time before the restart
            assertThat(Double.parseDouble(seconds.group(1))).isGreaterThanOrEqualTo((reopenedAt - outageBegan) / 1e3 - 0.05);
            // no stack traces: the outage is expected
            assertThat(log.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
            assertThat(db.count("SELECT count(*) FROM $s.executions")).isEqualTo(journal.ourExecutions);
            assertThat(db.count("SELECT count(*) FROM $s.orders")).isEqualTo(journal.orderCommands);
        }
    }
}
