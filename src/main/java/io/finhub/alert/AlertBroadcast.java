package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans items out to any number of Reactive Streams subscribers without letting one slow subscriber
 * hold up the others.
 *
 * <p>Policy: {@link #publish} never waits; it only appends the item to each matching subscriber's
 * own buffer of at most {@code bufferSize} items. Items leave a buffer on the shared delivery
 * executor as fast as the subscriber requests them. A subscriber whose buffer is full when another
 * item arrives is dropped: its buffer is discarded and it receives {@code onError} with
 * {@link ErrorCode#SLOW_SUBSCRIBER}. Nothing is dropped silently; a dropped client resubscribes and
 * catches up from the stored history.
 */
final class AlertBroadcast<T> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertBroadcast.class);

    private final String itemName;
    private final Executor delivery;
    private final int bufferSize;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    AlertBroadcast(String itemName, Executor delivery, int bufferSize) {
        this.itemName = requireNonNull(itemName, "itemName is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be positive, was " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    /** A publisher of the items that pass {@code filter} from the moment a subscriber subscribes. */
    Publisher<T> publisher(Predicate<? super T> filter) {
        return publisher(filter, source -> true);
    }

    /**
     * As {@link #publisher(Predicate)}; {@code interest} says which sources of items (for alerts,
     * rule ids) the subscriber may want, so a publisher can tell whether anyone listens to a source
     * before it has an item ({@link #listened}). It may say yes too often, never too rarely.
     */
    Publisher<T> publisher(Predicate<? super T> filter, Predicate<String> interest) {
        requireNonNull(filter, "filter is null");
        requireNonNull(interest, "interest is null");
        return subscriber -> {
            requireNonNull(subscriber, "subscriber is null");
            Channel channel = new Channel(subscriber, filter, interest);
            channels.add(channel);
            subscriber.onSubscribe(channel);
            if (closed) {
                channel.complete();
            }
        };
    }

    void publish(T item) {
        requireNonNull(item, "item is null");
        for (Channel channel : channels) {
            if (channel.filter.test(item)) {
                channel.offer(item);
            }
        }
    }

    int subscribers() {
        return channels.size();
    }

    /** Whether a current subscriber may want the items of {@code source}. */
    boolean listened(String source) {
        for (Channel channel : channels) {
            if (channel.interest.test(source)) {
                return true;
            }
        }
        return false;
    }

    /** Completes every subscriber once it has received what is already buffered. */
    void close() {
        closed = true;
        channels.forEach(Channel::complete);
    }

    private final class Channel implements Subscription {
        private final Subscriber<? super T> subscriber;
        private final Predicate<? super T> filter;
        private final Predicate<String> interest;
        private final Queue<T> buffer = new ConcurrentLinkedQueue<>();
        private final AtomicInteger buffered = new AtomicInteger();
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private volatile boolean done;
        private volatile Throwable error;
        private volatile boolean cancelled;

        Channel(Subscriber<? super T> subscriber, Predicate<? super T> filter, Predicate<String> interest) {
            this.subscriber = subscriber;
            this.filter = filter;
            this.interest = interest;
        }

        void offer(T item) {
            if (done || cancelled) {
                return;
            }
            if (buffered.incrementAndGet() > bufferSize) {
                buffered.decrementAndGet();
                fail(new FinhubException(ErrorCode.SLOW_SUBSCRIBER, "subscriber too slow: %d %s were waiting to be sent when another came, so it was dropped; "
                        .formatted(bufferSize, itemName) + "subscribe again and catch up with the history"));
                return;
            }
            buffer.offer(item);
            schedule();
        }

        void complete() {
            channels.remove(this);
            done = true;
            schedule();
        }

        private void fail(Throwable failure) {
            channels.remove(this);
            error = failure;
            done = true;
            schedule();
        }

        @Override
        public void request(long count) {
            if (count <= 0) {
                fail(new IllegalArgumentException("§3.9: request a positive number of items, not " + count));
                return;
            }
            requested.accumulateAndGet(count, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
            schedule();
        }

        @Override
        public void cancel() {
            cancelled = true;
            channels.remove(this);
            buffer.clear();
        }

        private void schedule() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            try {
                delivery.execute(this::drain);
            }
            catch (RejectedExecutionException e) {
                LOG.warn("{} delivery is shut down; dropping a subscriber", itemName);
                cancel();
            }
        }

        /** Runs on the delivery executor, never on two threads at once for one subscriber (the work counter). */
        private void drain() {
            int missed = 1;
            do {
                long wanted = requested.get();
                long sent = 0;
                while (sent != wanted && !terminated()) {
                    T item = buffer.poll();
                    if (item == null) {
                        break;
                    }
                    buffered.decrementAndGet();
                    deliver(item);
                    sent++;
                }
                if (terminated()) {
                    return;
                }
                if (sent != 0 && wanted != Long.MAX_VALUE) {
                    requested.addAndGet(-sent);
                }
                missed = work.addAndGet(-missed);
            }
            while (missed != 0);
        }

        private void deliver(T item) {
            try {
                subscriber.onNext(item);
            }
            catch (RuntimeException e) {
                LOG.warn("a {} subscriber failed and was dropped", itemName, e);
                cancel();
            }
        }

        /** Signals the end once, if it has come; the work counter then stays raised so nothing runs again. */
        private boolean terminated() {
            if (cancelled) {
                buffer.clear();
                return true;
            }
            if (error != null) {
                cancelled = true;
                buffer.clear();
                subscriber.onError(error);
                return true;
            }
            if (done && buffer.isEmpty()) {
                cancelled = true;
                subscriber.onComplete();
                return true;
            }
            return false;
        }
    }
}
