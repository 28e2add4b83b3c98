package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The alert log keeps an alert while its window is within the capture retention, and no longer. */
class AlertLogRetentionTest {
    private static final long MINUTE = 60_000;

    private static WindowBundle window(String version, long end) {
        WindowBundle b = new WindowBundle("m", version, "*", end - MINUTE, end);
        b.countEvent();
        return b;
    }

    private static DriftAlert alert(String id, long windowEnd) {
        DriftAlert a = new DriftAlert();
        a.setAlertId(id);
        a.setWindowEnd(Instant.ofEpochMilli(windowEnd));
        return a;
    }

    private static List<String> ids(KeyValueStore<String, byte[]> log) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = log.all()) {
            it.forEachRemaining(kv -> ids.add(kv.key.substring(kv.key.indexOf('|') + 1)));
        }
        return ids;
    }

    @Test
    void shouldDropAnAlertOnceItsWindowEndsBeforeTheRetentionAlsoWhenItCameAfterTheOthersWereDropped() {
        ControlHandlerStores stores = new ControlHandlerStores(new ControlSettings(Duration.ofMinutes(10), 1_000));
        ControlHandler handler = stores.handler;
        KeyValueStore<String, byte[]> log = stores.alertLog;

        handler.alerted(alert("a", 7 * MINUTE));
        handler.alerted(alert("b", 13 * MINUTE));
        handler.retain(window("v1", 16 * MINUTE));
        assertEquals(List.of("a", "b"), ids(log), "both within ten minutes of the window end");
        handler.retain(window("v1", 17 * MINUTE));
        assertEquals(List.of("b"), ids(log), "the alert of 7 min is past the retention");
        // An alert of a window already past the retention (a late window's) comes after the log was cut: the next
        // window evaluated, of any model version and with the same end, drops it.
        handler.alerted(alert("late", 6 * MINUTE));
        handler.retain(window("v2", 17 * MINUTE));
        assertEquals(List.of("b"), ids(log));
        handler.alerted(alert("c", 20 * MINUTE));
        handler.retain(window("v2", 22 * MINUTE));
        handler.retain(window("v1", 22 * MINUTE));
        assertEquals(List.of("b", "c"), ids(log));
        handler.retain(window("v1", 23 * MINUTE));
        assertEquals(List.of("c"), ids(log));
    }

    @Test
    void shouldScanTheLogAgainInANewHandlerOnTheSameStores() {
        ControlSettings control = new ControlSettings(Duration.ofMinutes(10), 1_000);
        ControlHandlerStores stores = new ControlHandlerStores(control);
        stores.handler.retain(window("v1", 18 * MINUTE)); // cut up to 8 min: nothing there yet
        // An entry this handler never saw (restored from the changelog after the task moved) ...
        stores.alertLog.put(WindowKeys.sortableTime(7 * MINUTE) + "|restored", new byte[0]);
        stores.handler.retain(window("v2", 18 * MINUTE));
        assertEquals(List.of("restored"), ids(stores.alertLog), "the same cutoff: the handler does not scan again");
        // ... is dropped by the handler of the restarted task, which starts without knowing what was cut.
        ControlHandler restarted = new ControlHandler(PipelineSettings.defaults(Duration.ofMinutes(1)), control,
                stores.context, WindowParts.none(), List.of());
        restarted.retain(window("v1", 18 * MINUTE));
        assertEquals(List.of(), ids(stores.alertLog));
    }

    @Test
    void shouldDropTheAlertOfAWindowEndingBeforeTheEpochOnceTheCutoffReachesIt() {
        ControlHandlerStores stores = new ControlHandlerStores(new ControlSettings(Duration.ofMinutes(10), 1_000));
        stores.handler.retain(window("v1", 10 * MINUTE)); // cut up to 0
        stores.handler.alerted(alert("negative", -5 * MINUTE)); // logged under time 0
        stores.handler.alerted(alert("kept", 5 * MINUTE));
        stores.handler.retain(window("v2", 10 * MINUTE));
        assertEquals(List.of("kept"), ids(stores.alertLog));
    }
}
