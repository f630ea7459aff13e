package io.layerwise.datasets.extract;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Gives the C heap's free memory back to the operating system between batches. PyTorch allocates each
 * batch's tensors with {@code malloc}; with length-bucketed batches their sizes change all the time, and
 * glibc then keeps ever more freed memory in its arenas (its mmap threshold rises after large frees), so
 * the resident set of a long extraction grows with the number of batches although nothing is live.
 * {@code malloc_trim(0)} releases every free page of every arena. Where there is no glibc (musl, macOS)
 * this does nothing.
 */
final class NativeHeap {
    /** glibc's allocator entry points, bound by name. */
    private interface C extends Library {
        int malloc_trim(long pad);
    }

    private static final C LIBC = load();

    private NativeHeap() {}

    /** Returns free heap pages to the system; cheap (about a millisecond) next to a forward pass. */
    static void trim() {
        if (LIBC != null) {
            LIBC.malloc_trim(0);
        }
    }

    private static C load() {
        try {
            C c = Native.load("c", C.class);
            c.malloc_trim(0);
            return c;
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }
}
