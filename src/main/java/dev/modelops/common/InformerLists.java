package dev.modelops.common;

/**
 * How many objects an informer asks for per list request. Listed whole, 10,000 pods arrive as one body of tens of
 * megabytes, parsed into full objects before the cache prunes them: more than the operator's heap holds at start.
 */
public final class InformerLists {

    public static final long PAGE = 500;

    private InformerLists() {
    }
}
