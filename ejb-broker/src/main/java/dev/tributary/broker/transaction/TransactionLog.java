package dev.tributary.broker.transaction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Prepared transactions on disk ({@code DATA_DIR/transactions}): one file per transaction, written to a temporary
 * file, fsynced, atomically renamed into place and the directory fsynced. A {@code .prepared} file is therefore
 * either absent or complete; a crash while writing leaves only a {@code .tmp} file, which {@link #open} deletes
 * (that transaction was never prepared). Files end with a CRC32C of their content, checked on load.
 *
 * <p>File names are random (an XA id does not fit a file name); the transaction id is inside. Thread-safe.
 */
final class TransactionLog {

    private static final int MAGIC = 0x54525458; // "TRTX"
    private static final short VERSION = 1;
    private static final String SUFFIX = ".prepared";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;
    private final Map<String, Path> files = new ConcurrentHashMap<>();

    private TransactionLog(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating) the directory and loads every prepared transaction in it.
     *
     * @throws CorruptTransactionLogException if a file is damaged
     */
    static TransactionLog open(Path dir, List<PreparedTransaction> loaded) {
        TransactionLog log = new TransactionLog(dir);
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path file : entries) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(TEMP_SUFFIX)) {
                        Files.delete(file);
                    } else if (name.endsWith(SUFFIX)) {
                        PreparedTransaction transaction = read(file);
                        log.files.put(transaction.id(), file);
                        loaded.add(transaction);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the transaction log in " + dir, e);
        }
        return log;
    }

    /** Makes {@code transaction} durable; when this returns, a crash no longer loses it. */
    void write(PreparedTransaction transaction) {
        Path target = dir.resolve(UUID.randomUUID() + SUFFIX);
        Path temp = dir.resolve(target.getFileName() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(serialize(transaction));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("Cannot write prepared transaction " + transaction.id() + " to " + dir, e);
        }
        files.put(transaction.id(), target);
    }

    /** Forgets a transaction (committed or rolled back); durable when this returns. */
    void delete(String transactionId) {
        Path file = files.remove(transactionId);
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            syncDirectory();
        } catch (IOException e) {
            files.put(transactionId, file);
            throw new UncheckedIOException("Cannot delete prepared transaction " + transactionId + " in " + dir, e);
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static byte[] serialize(PreparedTransaction transaction) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeUTF(transaction.id());
        out.writeLong(transaction.producerId());
        out.writeInt(transaction.recordCount());
        out.writeInt(transaction.batches().size());
        for (PreparedBatch batch : transaction.batches()) {
            out.writeUTF(batch.partition().topic());
            out.writeInt(batch.partition().partition());
            out.writeLong(batch.searchFrom());
            int[] indexes = batch.recordIndexes();
            out.writeInt(indexes.length);
            for (int index : indexes) {
                out.writeInt(index);
            }
            ByteBuffer records = batch.records().buffer().duplicate();
            out.writeInt(records.remaining());
            byte[] data = new byte[records.remaining()];
            records.get(data);
            out.write(data);
        }
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        return bytes.toByteArray();
    }

    private static PreparedTransaction read(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        if (content.length < Long.BYTES) {
            throw new CorruptTransactionLogException(file + " is truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(content, 0, content.length - Long.BYTES);
        long stored = ByteBuffer.wrap(content, content.length - Long.BYTES, Long.BYTES).getLong();
        if (crc.getValue() != stored) {
            throw new CorruptTransactionLogException(file + " fails its checksum");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
            if (in.readInt() != MAGIC || in.readShort() != VERSION) {
                throw new CorruptTransactionLogException(file + " is not a version " + VERSION
                        + " prepared-transaction file");
            }
            String id = in.readUTF();
            long producerId = in.readLong();
            int recordCount = in.readInt();
            int batchCount = in.readInt();
            List<PreparedBatch> batches = new ArrayList<>(batchCount);
            for (int b = 0; b < batchCount; b++) {
                TopicPartition partition = new TopicPartition(in.readUTF(), in.readInt());
                long searchFrom = in.readLong();
                int[] indexes = new int[in.readInt()];
                for (int i = 0; i < indexes.length; i++) {
                    indexes[i] = in.readInt();
                }
                byte[] data = new byte[in.readInt()];
                in.readFully(data);
                batches.add(new PreparedBatch(partition, searchFrom, indexes,
                        MemoryRecords.readableRecords(ByteBuffer.wrap(data))));
            }
            return new PreparedTransaction(id, producerId, recordCount, batches);
        } catch (IOException e) {
            throw new CorruptTransactionLogException(file + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the next open deletes leftover temporary files
        }
    }
}
