package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.InferenceEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The events of a source, read on a thread of their own and handed over in batches through a bounded queue:
 * decoding a file runs beside the pipeline's processors, on another core. (The report's histograms are not
 * counted here: they come from the window states the summarizing stage closes, see {@link WindowHistograms}.)
 * At most {@link #QUEUED_BATCHES} batches of {@link #BATCH} events wait at any time, whatever the input's
 * size.
 *
 * <p>An exception of the source (a file that cannot be read) is thrown again by {@link #next()}, on the
 * caller's thread.
 */
final class EventPipe implements AutoCloseable {
    static final int BATCH = 512;
    static final int QUEUED_BATCHES = 4;

    /** One event and its timestamp. */
    record Piped(long time, InferenceEvent event) {
    }

    private static final List<Piped> END = List.of();

    private final BlockingQueue<List<Piped>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Thread reader;
    private volatile Throwable failure;
    private boolean ended;

    /**
     * Starts reading.
     *
     * @param source hands every event to its consumer, in order
     */
    EventPipe(Consumer<Consumer<InferenceEvent>> source) {
        reader = new Thread(() -> {
            List<List<Piped>> batch = new ArrayList<>(1);
            batch.add(new ArrayList<>(BATCH));
            try {
                source.accept(e -> {
                    List<Piped> current = batch.get(0);
                    current.add(new Piped(e.getEventTime().toEpochMilli(), e));
                    if (current.size() == BATCH) {
                        put(current);
                        batch.set(0, new ArrayList<>(BATCH));
                    }
                });
                if (!batch.get(0).isEmpty()) {
                    put(batch.get(0));
                }
            } catch (Stopped stopped) {
                return;
            } catch (Throwable t) {
                failure = t;
            }
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "driftwatch-analyze-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next batch of events, or null after the last one. */
    List<Piped> next() {
        if (ended) {
            return null;
        }
        List<Piped> batch;
        try {
            batch = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the events", e);
        }
        if (batch != END) {
            return batch;
        }
        ended = true;
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        return null;
    }

    /** Stops the reading thread if it is still at work (the topology failed). */
    @Override
    public void close() {
        reader.interrupt();
    }

    private void put(List<Piped> batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            throw new Stopped();
        }
    }

    /** The consumer was closed while the reader waited: unwinds the source quietly. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
