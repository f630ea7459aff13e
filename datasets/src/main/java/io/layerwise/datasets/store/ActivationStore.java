package io.layerwise.datasets.store;

import io.layerwise.models.weights.Float16;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.store.StoreManifest.ShardInfo;
import io.layerwise.datasets.store.StoreManifest.TapInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a complete activation store one layer at a time: shards are memory-mapped and converted to
 * float32 ND4J arrays one at a time, so a layer can be streamed without loading the store, and the rows
 * of one split of one layer can be gathered into a single array for training. The same files load in
 * Python with {@code numpy.load(path, mmap_mode="r")} (see {@link StoreLayout}).
 *
 * <pre>{@code
 * ActivationStore store = ActivationStore.open(Path.of("runs/quickstart/activations"));
 * INDArray train = store.rows(ActivationTap.RESIDUAL, 6, Split.TRAIN);   // [n_train, 384] float32
 * long[] trainLabels = store.labels(Split.TRAIN);
 * for (INDArray shard : store.layer(ActivationTap.RESIDUAL, 3)) { ... }  // one shard in memory at a time
 * }</pre>
 */
public final class ActivationStore {
    private final Path directory;
    private final StoreManifest manifest;
    private final NpyDType dtype;

    private ActivationStore(Path directory, StoreManifest manifest) {
        this.directory = directory;
        this.manifest = manifest;
        this.dtype = manifest.dtype().equals("f32") ? NpyDType.F32 : NpyDType.F16;
    }

    /** Opens a complete store; an unfinished one is refused with how far it got. */
    public static ActivationStore open(Path directory) {
        StoreManifest manifest = StoreManifest.read(directory);
        if (!manifest.complete()) {
            throw new DatasetException(directory + " is unfinished (" + StoreWriter.committedShards(directory, manifest).size()
                    + " of " + manifest.shardCount() + " shards): run the same extraction again to complete it");
        }
        return new ActivationStore(directory, manifest);
    }

    public Path directory() {
        return directory;
    }

    public StoreManifest manifest() {
        return manifest;
    }

    /** Class label of every row ({@code -1} = unlabelled). */
    public long[] labels() {
        ByteBuffer data = mapData(directory.resolve(StoreLayout.LABELS), NpyDType.I64, manifest.rows());
        long[] labels = new long[(int) manifest.rows()];
        data.asLongBuffer().get(labels);
        return labels;
    }

    /** Labels of the rows of one split, in row order. */
    public long[] labels(Split split) {
        long[] all = labels();
        byte[] splits = splitCodes();
        return IntStream.range(0, all.length).filter(i -> splits[i] == split.ordinal())
                .mapToLong(i -> all[i]).toArray();
    }

    /** Split of every row. */
    public Split[] splits() {
        byte[] codes = splitCodes();
        Split[] splits = new Split[codes.length];
        for (int i = 0; i < codes.length; i++) {
            splits[i] = Split.values()[codes[i]];
        }
        return splits;
    }

    /** The data set's id of every example, in row order for pooled stores. */
    public List<String> exampleIds() {
        try {
            return Arrays.asList(new ObjectMapper().readValue(directory.resolve(StoreLayout.EXAMPLE_IDS).toFile(), String[].class));
        } catch (IOException e) {
            throw new DatasetException("cannot read " + directory.resolve(StoreLayout.EXAMPLE_IDS) + ": " + e.getMessage(), e);
        }
    }

    /** One shard of one layer as a float32 {@code [rows, dim]} array. */
    public INDArray shard(ActivationTap tap, int layer, int shard) {
        TapInfo info = requireLayer(tap, layer);
        ShardInfo s = manifest.shards().get(shard);
        ByteBuffer data = mapData(StoreLayout.shard(directory, tap, layer, shard), dtype, s.rows(), info.dim());
        INDArray out = Nd4j.create(DataType.FLOAT, s.rows(), info.dim());
        FloatBuffer target = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        copyRows(data, 0, target, 0, (int) s.rows() * info.dim());
        return out;
    }

    /** The shards of one layer in order, each read only when the iteration reaches it. */
    public Iterable<INDArray> layer(ActivationTap tap, int layer) {
        requireLayer(tap, layer);
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < manifest.shardCount();
            }

            @Override
            public INDArray next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return shard(tap, layer, next++);
            }
        };
    }

    /**
     * Every row of one split of one layer as one float32 {@code [n, dim]} array, in row order, read shard
     * by shard. The result must fit one ND4J buffer (2 GiB); stream {@link #layer} for larger layers.
     */
    public INDArray rows(ActivationTap tap, int layer, Split split) {
        TapInfo info = requireLayer(tap, layer);
        byte[] splits = splitCodes();
        int count = 0;
        for (byte code : splits) {
            count += code == split.ordinal() ? 1 : 0;
        }
        if ((long) count * info.dim() * Float.BYTES > Integer.MAX_VALUE) {
            throw new DatasetException(split + " rows of " + tap.configName() + " layer " + layer + " need "
                    + (long) count * info.dim() * Float.BYTES + " bytes, over one 2 GiB buffer; stream them with layer()");
        }
        INDArray out = Nd4j.create(DataType.FLOAT, count, info.dim());
        FloatBuffer target = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        int written = 0;
        for (ShardInfo s : manifest.shards()) {
            ByteBuffer data = mapData(StoreLayout.shard(directory, tap, layer, s.index()), dtype, s.rows(), info.dim());
            for (int r = 0; r < s.rows(); r++) {
                if (splits[(int) (s.firstRow() + r)] == split.ordinal()) {
                    copyRows(data, (long) r * info.dim(), target, (long) written * info.dim(), info.dim());
                    written++;
                }
            }
        }
        return out;
    }

    private void copyRows(ByteBuffer source, long fromElement, FloatBuffer target, long toElement, int elements) {
        int from = Math.toIntExact(fromElement);
        int to = Math.toIntExact(toElement);
        if (dtype == NpyDType.F32) {
            target.put(to, source.asFloatBuffer(), from, elements);
        } else {
            for (int i = 0; i < elements; i++) {
                target.put(to + i, Float16.toFloat(source.getShort((from + i) * 2)));
            }
        }
    }

    private TapInfo requireLayer(ActivationTap tap, int layer) {
        TapInfo info = manifest.tap(tap);
        if (!info.layers().contains(layer)) {
            throw new DatasetException("this store holds " + tap.configName() + " layers " + info.layers()
                    + ", not layer " + layer);
        }
        return info;
    }

    private byte[] splitCodes() {
        ByteBuffer data = mapData(directory.resolve(StoreLayout.SPLITS), NpyDType.I8, manifest.rows());
        byte[] codes = new byte[(int) manifest.rows()];
        data.get(codes);
        return codes;
    }

    /** Maps the data of a .npy file after checking its header against what the manifest says. */
    private static ByteBuffer mapData(Path file, NpyDType expectedType, long... expectedShape) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader header = NpyHeader.read(channel, file);
            if (header.dtype() != expectedType || !Arrays.equals(header.shape(), expectedShape)) {
                throw new DatasetException(file + " holds " + header + " but the manifest says "
                        + expectedType.descr() + Arrays.toString(expectedShape) + "; the store is damaged: extract it again");
            }
            long bytes = header.elements() * header.dtype().bytes();
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, header.dataOffset(), bytes);
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
